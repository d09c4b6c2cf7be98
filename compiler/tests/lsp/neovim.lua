-- Driven by neovim.rs: Neovim's own LSP client (0.7 API) opens $FILE with `awmc lsp`,
-- waits for diagnostics, asks for a definition at $LINE:$CHARACTER, writes JSON to $OUT.
local file, out = os.getenv("FILE"), os.getenv("OUT")
vim.cmd("edit " .. file)
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "awmc",
  cmd = { os.getenv("AWMC"), "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
vim.lsp.buf_attach_client(buf, id)
local result = { diagnostics = {}, definition = vim.NIL }
vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(result.diagnostics, { code = code, lnum = d.lnum, col = d.col, message = d.message })
end
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(os.getenv("LINE")), character = tonumber(os.getenv("CHARACTER")) },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 20000)
if responses then
  for _, response in pairs(responses) do
    if response.result then result.definition = response.result end
  end
end
local handle = io.open(out, "w")
handle:write(vim.fn.json_encode(result))
handle:close()
vim.lsp.stop_client(id)
vim.cmd("qa!")
