-- awmc in Neovim (0.7 or newer): filetype, then the language server on every *.awm buffer.
-- Put this file in ~/.config/nvim/lua/ and add `require("awmc")` to init.lua, or paste it.
vim.cmd([[autocmd BufRead,BufNewFile *.awm setfiletype awm]])
vim.api.nvim_create_autocmd("FileType", {
  pattern = "awm",
  callback = function(args)
    local root = vim.fs and vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf))
      or vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ":h")
    local config = { name = "awmc", cmd = { "awmc", "lsp" }, root_dir = root }
    if vim.lsp.start then
      vim.lsp.start(config) -- Neovim 0.8+
    else
      local id = vim.lsp.start_client(config) -- Neovim 0.7
      if id then vim.lsp.buf_attach_client(args.buf, id) end
    end
    vim.bo[args.buf].commentstring = "// %s"
  end,
})
