#!/usr/bin/env python3
"""Writes the seed data of dsl-spec/examples/retail.awm: one file per table, beside this
script. Python 3 standard library only, a fixed random seed: running it again rewrites
the files byte for byte.

    python3 dsl-spec/examples/retail/generate.py

The store (Northwind Outfitters, an online retailer of electronics, clothing, home and
outdoor goods) has a catalog of products with variants (items: one combination of
options such as color and size), and a year of history before the environment's clock
(2026-05-15T12:00:00Z): customers with saved addresses and payment methods (credit
cards, gift cards, PayPal), orders with their items, payments and refunds, shipments with
tracking numbers, return and exchange requests, reviews and support tickets.

Customers 1-14 are written by hand: the tasks of retail.awm are about them. Everyone
else is drawn at random with realistic skew: most customers order a few times, a few
order dozens of times; prices, statuses and dates follow what an online store sees
(more orders in November and December, recent orders still pending or in transit, old
ones delivered, a few cancelled, returned or exchanged).
"""

import csv
import json
import os
import random
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
CLOCK = datetime(2026, 5, 15, 12, 0, 0, tzinfo=timezone.utc)
START = CLOCK - timedelta(days=365)
RANDOM_USERS = 1186  # users 15..1200
MAX_ROWS = 9500  # the engine's limit per table for now

rng = random.Random(20260515)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def money(value):
    return round(value + 1e-9, 2)


# ---- the catalog -------------------------------------------------------------------

CATEGORIES = [
    ("Audio", "Headphones, earbuds and speakers"),
    ("Computers", "Laptops, keyboards, mice and monitors"),
    ("Phones & Wearables", "Smartphones, smart watches and fitness trackers"),
    ("Clothing", "T-shirts, hoodies, jackets and jeans"),
    ("Shoes", "Running shoes, sneakers and boots"),
    ("Home & Kitchen", "Coffee makers, cookware, lamps and vacuums"),
    ("Outdoors", "Backpacks, tents, water bottles and camping gear"),
    ("Sports & Fitness", "Yoga mats, dumbbells and bikes"),
    ("Toys & Games", "Board games, puzzles and building sets"),
    ("Beauty", "Skin care, hair dryers and shavers"),
]

COLORS = ["black", "white", "blue", "red", "green", "gray", "navy", "pink", "silver", "olive"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
SHOE_SIZES = ["7", "8", "9", "10", "11", "12"]

# (category, kind, base price, {option: [values]}, price steps per option value)
KINDS = [
    ("Audio", "Wireless Earbuds", 79.0, {"color": ["black", "white", "blue"]}, {}),
    ("Audio", "Noise-Cancelling Headphones", 249.0, {"color": ["black", "silver", "navy"], "connection": ["wireless", "wired"]}, {"wired": -60.0}),
    ("Audio", "Bluetooth Speaker", 59.0, {"color": ["black", "red", "blue", "green"], "size": ["mini", "standard"]}, {"standard": 40.0}),
    ("Computers", "Laptop", 899.0, {"processor": ["i5", "i7", "i9"], "storage": ["256GB", "512GB", "1TB"]}, {"i7": 250.0, "i9": 600.0, "512GB": 100.0, "1TB": 250.0}),
    ("Computers", "Mechanical Keyboard", 109.0, {"switch": ["linear", "tactile", "clicky"], "layout": ["full", "tenkeyless"]}, {"tenkeyless": -15.0}),
    ("Computers", "Wireless Mouse", 39.0, {"color": ["black", "white", "gray"]}, {}),
    ("Computers", "Monitor", 229.0, {"size": ["24 inch", "27 inch", "32 inch"], "resolution": ["1080p", "1440p", "4K"]}, {"27 inch": 70.0, "32 inch": 160.0, "1440p": 60.0, "4K": 180.0}),
    ("Phones & Wearables", "Smart Watch", 299.0, {"size": ["41mm", "45mm"], "color": ["black", "silver", "pink"], "band": ["sport", "leather"]}, {"45mm": 30.0, "leather": 50.0}),
    ("Phones & Wearables", "Fitness Tracker", 99.0, {"color": ["black", "blue", "pink"]}, {}),
    ("Phones & Wearables", "Smartphone", 699.0, {"storage": ["128GB", "256GB", "512GB"], "color": ["black", "white", "blue"]}, {"256GB": 100.0, "512GB": 300.0}),
    ("Clothing", "T-Shirt", 19.99, {"color": ["black", "white", "blue", "red", "green"], "size": SIZES}, {}),
    ("Clothing", "Hoodie", 49.99, {"color": ["black", "gray", "navy", "olive"], "size": SIZES}, {}),
    ("Clothing", "Rain Jacket", 119.0, {"color": ["black", "navy", "red", "olive"], "size": SIZES}, {}),
    ("Clothing", "Jeans", 59.0, {"fit": ["slim", "straight", "relaxed"], "waist": ["30", "32", "34", "36"]}, {}),
    ("Shoes", "Running Shoe", 119.0, {"color": ["black", "white", "blue", "red"], "size": SHOE_SIZES}, {}),
    ("Shoes", "Sneaker", 79.0, {"color": ["white", "black", "gray"], "size": SHOE_SIZES}, {}),
    ("Shoes", "Hiking Boot", 159.0, {"material": ["leather", "synthetic"], "size": SHOE_SIZES}, {"leather": 30.0}),
    ("Home & Kitchen", "Coffee Maker", 89.0, {"capacity": ["4 cups", "8 cups", "12 cups"], "color": ["black", "silver", "red"]}, {"8 cups": 30.0, "12 cups": 60.0}),
    ("Home & Kitchen", "Desk Lamp", 34.0, {"color": ["black", "white", "silver"], "brightness": ["standard", "high"]}, {"high": 12.0}),
    ("Home & Kitchen", "Robot Vacuum", 349.0, {"model": ["standard", "self-emptying"]}, {"self-emptying": 200.0}),
    ("Home & Kitchen", "Cookware Set", 149.0, {"pieces": ["5", "10", "12"], "material": ["stainless steel", "nonstick"]}, {"10": 60.0, "12": 90.0, "nonstick": -20.0}),
    ("Outdoors", "Backpack", 69.0, {"color": ["black", "navy", "green", "red"], "capacity": ["20L", "30L", "40L"]}, {"30L": 15.0, "40L": 30.0}),
    ("Outdoors", "Water Bottle", 24.0, {"capacity": ["500ml", "750ml", "1000ml"], "color": ["blue", "green", "black", "pink"]}, {"750ml": 4.0, "1000ml": 8.0}),
    ("Outdoors", "Camping Tent", 199.0, {"capacity": ["2-person", "4-person"], "color": ["green", "orange"]}, {"4-person": 100.0}),
    ("Sports & Fitness", "Yoga Mat", 39.0, {"color": ["purple", "blue", "black", "green"], "thickness": ["4mm", "6mm"]}, {"6mm": 8.0}),
    ("Sports & Fitness", "Adjustable Dumbbells", 249.0, {"weight": ["25 lb", "50 lb"]}, {"50 lb": 150.0}),
    ("Toys & Games", "Board Game", 34.99, {"edition": ["standard", "deluxe"]}, {"deluxe": 25.0}),
    ("Toys & Games", "Jigsaw Puzzle", 19.99, {"pieces": ["500", "1000", "2000"]}, {"1000": 5.0, "2000": 12.0}),
    ("Beauty", "Hair Dryer", 89.0, {"color": ["black", "pink", "white"]}, {}),
    ("Beauty", "Electric Shaver", 129.0, {"type": ["foil", "rotary"]}, {}),
]

BRANDS = [
    "Aero", "Summit", "Nimbus", "Vertex", "Harbor", "Lumen", "Pioneer", "Cascade",
    "Orbit", "Ember", "Tundra", "Zephyr", "Atlas", "Maple", "Quartz",
]


def build_catalog():
    """Categories, products, variants and their options."""
    categories = []
    for index, (name, description) in enumerate(CATEGORIES, start=1):
        categories.append({"id": index, "name": name, "description": description})
    category_ids = {c["name"]: c["id"] for c in categories}
    products, variants, options = [], [], []
    product_id = variant_id = option_id = 0
    for kind_index, (category, kind, base, option_sets, steps) in enumerate(KINDS):
        # Three or four brands make each kind of product.
        brands = rng.sample(BRANDS, 3 + kind_index % 2)
        for brand in brands:
            product_id += 1
            name = f"{brand} {kind}"
            products.append({
                "id": product_id,
                "name": name,
                "category_id": category_ids[category],
                "brand": brand,
                "description": f"{brand}'s {kind.lower()}: " + rng.choice([
                    "built to last, with a two-year warranty.",
                    "a customer favourite for everyday use.",
                    "light, compact and easy to carry.",
                    "premium materials at a fair price.",
                    "our best-reviewed model this year.",
                ]),
            })
            brand_factor = rng.choice([0.85, 0.9, 1.0, 1.0, 1.1, 1.25])
            # Every combination of options, thinned out to at most eight per product.
            combinations = [{}]
            for option, values in option_sets.items():
                combinations = [dict(c, **{option: v}) for c in combinations for v in values]
            if len(combinations) > 8:
                combinations = rng.sample(combinations, 8)
                order = {option: values for option, values in option_sets.items()}
                combinations.sort(key=lambda c: [order[o].index(c[o]) for o in order])
            for combination in combinations:
                variant_id += 1
                price = base * brand_factor + sum(steps.get(v, 0.0) for v in combination.values())
                # Prices end in .99 or .00, as stores write them.
                price = money(int(price) + (0.99 if price < 200 else 0.0))
                stock = rng.choice([0, 0, 3, 8, 15, 25, 40, 60, 120])
                variants.append({
                    "id": variant_id,
                    "product_id": product_id,
                    "sku": f"{brand[:3].upper()}-{product_id:03d}-{variant_id:04d}",
                    "price": price,
                    "stock": stock,
                    "available": "true" if stock > 0 or rng.random() < 0.3 else "false",
                })
                for option, value in combination.items():
                    option_id += 1
                    options.append({"option_id": option_id, "variant": variant_id, "option": option, "value": value})
    return categories, products, variants, options


categories, products, variants, variant_options = build_catalog()
product_by_name = {p["name"]: p for p in products}
variant_by_id = {v["id"]: v for v in variants}
options_of = {}
for o in variant_options:
    options_of.setdefault(o["variant"], {})[o["option"]] = o["value"]


def pick(kind, **wanted):
    """The first variant in stock of a product of this kind with these options (for the
    hand-written customers)."""
    for product in products:
        if not product["name"].endswith(kind):
            continue
        for v in variants:
            chosen = options_of.get(v["id"], {})
            if v["product_id"] == product["id"] and v["stock"] > 0 and all(chosen.get(k) == x for k, x in wanted.items()):
                return v
    raise SystemExit(f"no {kind} in stock with {wanted}")


def sibling_pair(kind, differ, step):
    """Two variants in stock of one product of this kind, at the same price, equal in every
    option but `differ`, whose value moves `step` places along the option's values."""
    for product in products:
        if not product["name"].endswith(kind):
            continue
        mine = [v for v in variants if v["product_id"] == product["id"] and v["stock"] > 0]
        for a in mine:
            for b in mine:
                oa, ob = options_of[a["id"]], options_of[b["id"]]
                values = next(k for k in KINDS if k[1] == kind)[3][differ]
                same = all(oa[o] == ob[o] for o in oa if o != differ)
                if same and a["price"] == b["price"] and values.index(ob[differ]) == values.index(oa[differ]) + step:
                    return a, b
    raise SystemExit(f"no pair of {kind} variants for a task")


# ---- people ------------------------------------------------------------------------

FIRST = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Daniel", "Karen", "Matthew", "Lisa", "Anthony", "Nancy", "Mark", "Sandra",
    "Omar", "Aisha", "Wei", "Mei", "Hiroshi", "Yuki", "Carlos", "Sofia", "Mateo", "Lucia",
    "Ivan", "Olga", "Arjun", "Priya", "Kwame", "Amara", "Liam", "Emma", "Noah", "Olivia",
    "Ethan", "Ava", "Lucas", "Mia", "Fatima", "Yusuf", "Chen", "Lin", "Raj", "Anika",
]
LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
    "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Kim", "Patel", "Khan", "Chen", "Wang", "Silva", "Rossi", "Müller", "Novak", "Ito",
]
# (city, state, zip prefix)
CITIES = [
    ("New York", "NY", "100"), ("Brooklyn", "NY", "112"), ("Los Angeles", "CA", "900"),
    ("San Francisco", "CA", "941"), ("San Diego", "CA", "921"), ("Chicago", "IL", "606"),
    ("Houston", "TX", "770"), ("Austin", "TX", "787"), ("Dallas", "TX", "752"),
    ("Phoenix", "AZ", "850"), ("Philadelphia", "PA", "191"), ("Seattle", "WA", "981"),
    ("Denver", "CO", "802"), ("Boston", "MA", "021"), ("Atlanta", "GA", "303"),
    ("Miami", "FL", "331"), ("Portland", "OR", "972"), ("Minneapolis", "MN", "554"),
    ("Detroit", "MI", "482"), ("Nashville", "TN", "372"), ("Columbus", "OH", "432"),
    ("Charlotte", "NC", "282"), ("Salt Lake City", "UT", "841"), ("Pittsburgh", "PA", "152"),
]
STREETS = [
    "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Washington Ave",
    "Lake Shore Dr", "Park Pl", "Hillcrest Rd", "Sunset Blvd", "River Rd", "Highland Ave",
    "Broadway", "Market St", "Spring St", "Chestnut St", "Willow Way", "Church St",
]

users, addresses, payment_methods = [], [], []
orders, order_items, payments, shipments = [], [], [], []
requests, request_items, reviews, tickets = [], [], [], []
ids = {name: 0 for name in ["address", "payment_method", "order", "item", "payment", "shipment", "request", "request_item", "review", "ticket"]}
used_emails, used_tracking, used_cards = set(), set(), set()


def next_id(name):
    ids[name] += 1
    return ids[name]


def add_user(user_id, first, last, email, phone, created_at):
    used_emails.add(email)
    users.append({
        "id": user_id,
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": phone,
        "created_at": iso(created_at),
    })


def add_address(user_id, label, line1, line2, city, state, zip_code, default):
    address = {
        "id": next_id("address"),
        "user_id": user_id,
        "label": label,
        "line1": line1,
        "line2": line2,
        "city": city,
        "state": state,
        "country": "USA",
        "zip": zip_code,
        "is_default": default,
    }
    addresses.append(address)
    return address


def add_card(user_id, brand, last_four):
    used_cards.add((user_id, last_four))
    method = {"id": next_id("payment_method"), "user_id": user_id, "kind": "credit_card",
              "label": f"{brand} ending {last_four}", "last_four": last_four, "balance": 0.0, "active": True}
    payment_methods.append(method)
    return method


def add_gift_card(user_id, code, balance):
    method = {"id": next_id("payment_method"), "user_id": user_id, "kind": "gift_card",
              "label": f"Gift card {code}", "last_four": code[-4:], "balance": money(balance), "active": True}
    payment_methods.append(method)
    return method


def add_paypal(user_id, email):
    method = {"id": next_id("payment_method"), "user_id": user_id, "kind": "paypal",
              "label": f"PayPal {email}", "last_four": None, "balance": 0.0, "active": True}
    payment_methods.append(method)
    return method


def tracking_number(carrier):
    while True:
        if carrier == "UPS":
            number = "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
        elif carrier == "FedEx":
            number = "".join(rng.choice("0123456789") for _ in range(12))
        else:
            number = "9400" + "".join(rng.choice("0123456789") for _ in range(18))
        if number not in used_tracking:
            used_tracking.add(number)
            return number


def add_order(user, address, created_at, status, lines, paid_with, split_gift_card=None, updated_at=None):
    """An order with its items, payments, shipments and, for returned or exchanged orders,
    the request. `lines` are (variant, quantity); `paid_with` the payment method."""
    order_id = next_id("order")
    items = []
    for v, quantity in lines:
        item = {"id": next_id("item"), "order_id": order_id, "variant_id": v["id"], "quantity": quantity, "unit_price": v["price"]}
        order_items.append(item)
        items.append(item)
    total = money(sum(i["unit_price"] * i["quantity"] for i in items))
    updated = updated_at or created_at
    order = {
        "id": order_id, "user_id": user, "status": status,
        "line1": address["line1"], "line2": address["line2"], "city": address["city"],
        "state": address["state"], "country": address["country"], "zip": address["zip"],
        "items_modified": False, "created_at": iso(created_at), "updated_at": iso(updated),
    }
    orders.append(order)
    charged = []
    if split_gift_card is not None and split_gift_card["balance"] >= 0:
        part = money(min(total - 0.01, rng.choice([10.0, 25.0, 50.0])))
        if part > 0:
            charged.append((split_gift_card, part))
        if total - part > 0:
            charged.append((paid_with, money(total - part)))
    else:
        charged.append((paid_with, total))
    for method, amount in charged:
        payments.append({"id": next_id("payment"), "order_id": order_id, "payment_method_id": method["id"],
                         "kind": "payment", "amount": amount, "created_at": iso(created_at + timedelta(minutes=1))})
    if status == "cancelled":
        cancelled_at = created_at + timedelta(hours=rng.randint(1, 30))
        order["updated_at"] = iso(cancelled_at)
        for method, amount in charged:
            payments.append({"id": next_id("payment"), "order_id": order_id, "payment_method_id": method["id"],
                             "kind": "refund", "amount": amount, "created_at": iso(cancelled_at)})
    if status in ("shipped", "delivered", "return_requested", "returned", "exchange_requested", "exchanged"):
        carrier = rng.choice(["UPS", "UPS", "FedEx", "USPS"])
        shipped_at = created_at + timedelta(hours=rng.randint(14, 60))
        delivered_at = shipped_at + timedelta(hours=rng.randint(30, 120))
        delivered = status != "shipped" and delivered_at < CLOCK
        if status != "shipped" and not delivered:
            delivered_at = CLOCK - timedelta(hours=rng.randint(2, 20))
            delivered = True
        shipment_status = "delivered" if delivered else rng.choice(["label_created", "in_transit", "in_transit", "out_for_delivery"])
        shipments.append({
            "id": next_id("shipment"), "order_id": order_id, "carrier": carrier,
            "tracking_number": tracking_number(carrier), "status": shipment_status,
            "shipped_at": iso(shipped_at), "delivered_at": iso(delivered_at) if delivered else None,
        })
        order["updated_at"] = iso(delivered_at if delivered else shipped_at)
        if status in ("return_requested", "returned", "exchange_requested", "exchanged") and delivered:
            exchange = status.startswith("exchange")
            asked_at = delivered_at + timedelta(days=rng.randint(1, 12))
            if asked_at > CLOCK:
                asked_at = CLOCK - timedelta(hours=1)
            done = status in ("returned", "exchanged")
            request = {
                "id": next_id("request"), "order_id": order_id,
                "kind": "exchange_request" if exchange else "return_request",
                "status": "completed" if done else "requested",
                "refund_method_id": None if exchange else charged[-1][0]["id"],
                "reason": rng.choice(["Did not fit", "Changed my mind", "Arrived damaged", "Not as described", "Wrong color"]),
                "created_at": iso(asked_at),
            }
            requests.append(request)
            chosen = items if len(items) == 1 else rng.sample(items, rng.randint(1, len(items)))
            refunded = 0.0
            for item in sorted(chosen, key=lambda i: i["id"]):
                new_variant = None
                refund = 0.0
                if exchange:
                    siblings = [v for v in variants if v["product_id"] == variant_by_id[item["variant_id"]]["product_id"]
                                and v["id"] != item["variant_id"] and v["price"] == item["unit_price"]]
                    new_variant = siblings[0]["id"] if siblings else item["variant_id"]
                else:
                    refund = money(item["unit_price"] * item["quantity"])
                    refunded += refund
                request_items.append({"id": next_id("request_item"), "request_id": request["id"], "order_item_id": item["id"],
                                      "new_variant_id": new_variant, "refund_amount": refund})
            if done and not exchange and refunded > 0:
                payments.append({"id": next_id("payment"), "order_id": order_id, "payment_method_id": request["refund_method_id"],
                                 "kind": "refund", "amount": money(refunded), "created_at": iso(asked_at + timedelta(days=4))})
            order["updated_at"] = iso(asked_at)
    return order, items


def add_review(user_id, product_id, rating, created_at):
    titles = {
        5: ["Love it", "Excellent", "Exactly what I wanted", "Five stars", "Great value"],
        4: ["Very good", "Solid choice", "Happy with it", "Works well"],
        3: ["It's okay", "Average", "Does the job"],
        2: ["Disappointed", "Not great", "Expected more"],
        1: ["Broke quickly", "Do not buy", "Terrible"],
    }
    bodies = {
        5: "Better than I expected. Would buy again.",
        4: "Good quality for the price, a few small quirks.",
        3: "Fine, but nothing special.",
        2: "Quality is lower than the photos suggest.",
        1: "Stopped working after a few weeks.",
    }
    reviews.append({"id": next_id("review"), "user_id": user_id, "product_id": product_id, "rating": rating,
                    "title": rng.choice(titles[rating]), "body": bodies[rating], "created_at": iso(created_at)})


def add_ticket(user_id, order_id, topic, status, subject, body, created_at):
    tickets.append({"id": next_id("ticket"), "user_id": user_id, "order_id": order_id, "topic": topic, "status": status,
                    "subject": subject, "body": body, "created_at": iso(created_at),
                    "updated_at": iso(min(CLOCK, created_at + timedelta(hours=rng.randint(1, 72))))})


def days_ago(days, hour=10, minute=0):
    return (CLOCK - timedelta(days=days)).replace(hour=hour, minute=minute, second=0)


# ---- the customers the tasks are about (1-14) ----------------------------------------

def scenario_users():
    def person(user_id, first, last, city, state, zip_code, street, joined_days):
        email = f"{first.lower()}.{last.lower()}@example.com"
        add_user(user_id, first, last, email, f"+1-555-01{user_id:02d}", days_ago(joined_days))
        return add_address(user_id, "Home", street, "", city, state, zip_code, True)

    # 1 Yusuf Rossi: a pending order paid with a gift card, ordered by mistake.
    home = person(1, "Yusuf", "Rossi", "Philadelphia", "PA", "19122", "445 Maple Dr", 400)
    card = add_card(1, "Visa", "4021")
    gift = add_gift_card(1, "GC-7731-2204", 12.5)
    add_order(1, home, days_ago(120), "delivered", [(pick("Wireless Earbuds", color="black"), 1)], card)
    add_order(1, home, days_ago(1, 18, 20), "pending",
              [(pick("Mechanical Keyboard", switch="tactile"), 1), (pick("Desk Lamp", color="white"), 1)], gift)

    # 2 Mei Davis: her pending order should go to her work address instead.
    home = person(2, "Mei", "Davis", "Seattle", "WA", "98103", "1208 Highland Ave", 300)
    add_address(2, "Work", "400 Pine St", "Suite 1200", "Seattle", "WA", "98101", False)
    card = add_card(2, "Mastercard", "5588")
    add_order(2, home, days_ago(2, 9, 5), "pending", [(pick("Backpack", color="navy"), 1)], card)

    # 3 Omar Khan: wants to pay his pending order with his gift card instead of his card.
    home = person(3, "Omar", "Khan", "Chicago", "IL", "60614", "2231 Lake Shore Dr", 500)
    card = add_card(3, "Visa", "7744")
    add_gift_card(3, "GC-1190-5521", 400.0)
    add_order(3, home, days_ago(1, 11, 45), "pending", [(pick("Smart Watch", band="sport"), 1)], card)

    # 4 Sofia Silva: her pending order has a T-shirt one size too small.
    home = person(4, "Sofia", "Silva", "Austin", "TX", "78704", "1601 Sunset Blvd", 210)
    card = add_card(4, "Amex", "1009")
    small, large = sibling_pair("T-Shirt", "size", 1)
    add_order(4, home, days_ago(0, 8, 30), "pending", [(small, 1), (pick("Water Bottle", capacity="750ml"), 2)], card)

    # 5 Liam Nguyen: returns two of three delivered items to his original card.
    home = person(5, "Liam", "Nguyen", "Denver", "CO", "80205", "77 Cedar Ln", 600)
    card = add_card(5, "Visa", "3131")
    add_paypal(5, "liam.nguyen@example.com")
    add_order(5, home, days_ago(9, 14, 0), "delivered",
              [(pick("Hoodie", color="gray"), 1), (pick("Yoga Mat"), 1), (pick("Jigsaw Puzzle"), 1)], card)

    # 6 Amara Clark: returns her headphones, refunded to her gift card.
    home = person(6, "Amara", "Clark", "Atlanta", "GA", "30308", "19 Peachtree Pl", 380)
    card = add_card(6, "Discover", "6011")
    add_gift_card(6, "GC-4410-8812", 0.0)
    add_order(6, home, days_ago(6, 16, 10), "delivered", [(pick("Noise-Cancelling Headphones", connection="wireless"), 1)], card)

    # 7 Mateo Ramirez: exchanges running shoes for a size up.
    home = person(7, "Mateo", "Ramirez", "Phoenix", "AZ", "85004", "920 Washington Ave", 250)
    card = add_card(7, "Visa", "8080")
    size, size_up = sibling_pair("Running Shoe", "size", 1)
    add_order(7, home, days_ago(12, 13, 0), "delivered", [(size, 1)], card)

    # 8 Priya Patel: wants to cancel an order that has already shipped.
    home = person(8, "Priya", "Patel", "Boston", "MA", "02116", "31 Chestnut St", 420)
    paypal = add_paypal(8, "priya.patel@example.com")
    add_order(8, home, days_ago(3, 10, 0), "shipped", [(pick("Coffee Maker"), 1)], paypal)

    # 9 Hiroshi Ito: asks where his latest order is.
    home = person(9, "Hiroshi", "Ito", "San Francisco", "CA", "94110", "2800 Mission St", 700)
    card = add_card(9, "Visa", "2020")
    add_order(9, home, days_ago(40), "delivered", [(pick("Board Game"), 1)], card)
    add_order(9, home, days_ago(4, 9, 0), "shipped", [(pick("Monitor"), 1)], card)

    # 10 Emma Wilson: reviews the camping tent she received.
    home = person(10, "Emma", "Wilson", "Portland", "OR", "97214", "1500 Hawthorne Blvd", 330)
    card = add_card(10, "Mastercard", "4141")
    add_order(10, home, days_ago(30), "delivered", [(pick("Camping Tent"), 1)], card)

    # 11 Kwame Harris: moved and wants a new default address.
    person(11, "Kwame", "Harris", "Nashville", "TN", "37203", "88 Broadway", 280)
    add_card(11, "Visa", "9191")

    # 12 Olga Novak: a charge she does not recognise: only a human can handle it.
    home = person(12, "Olga", "Novak", "Minneapolis", "MN", "55408", "3021 Lake St", 650)
    card = add_card(12, "Visa", "1212")
    add_order(12, home, days_ago(20), "delivered", [(pick("Robot Vacuum"), 1)], card)

    # 13 Raj Kim: two pending orders; cancels the one with the coffee maker.
    home = person(13, "Raj", "Kim", "Houston", "TX", "77002", "500 Main St", 150)
    card = add_card(13, "Amex", "3737")
    add_order(13, home, days_ago(2, 20, 0), "pending", [(pick("Sneaker"), 1)], card)
    add_order(13, home, days_ago(1, 7, 30), "pending", [(pick("Coffee Maker"), 1), (pick("Electric Shaver"), 1)], card)

    # 14 Lucia Torres: a regular; asks how much she spent on delivered orders in 2026.
    home = person(14, "Lucia", "Torres", "Miami", "FL", "33131", "1200 Brickell Ave", 900)
    card = add_card(14, "Visa", "1414")
    for days, status in [(300, "delivered"), (200, "delivered"), (130, "delivered"), (110, "cancelled"),
                         (95, "delivered"), (60, "delivered"), (25, "delivered"), (5, "shipped")]:
        picks = rng.sample(variants, rng.randint(1, 3))
        add_order(14, home, days_ago(days, 15, 0), status, [(v, 1) for v in picks], card)


def product_of(v):
    return next(p["name"] for p in products if p["id"] == v["product_id"])


scenario_users()

# ---- everyone else -----------------------------------------------------------------


def random_moment(start, end):
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randint(0, max(seconds, 1)))


def order_moment():
    """A time in the last year, with more orders in November and December."""
    while True:
        moment = random_moment(START, CLOCK - timedelta(minutes=30))
        weight = 2.2 if moment.month in (11, 12) else 1.0
        if rng.random() < weight / 2.2:
            return moment


def status_for(moment):
    age = (CLOCK - moment).total_seconds() / 86400
    roll = rng.random()
    if age < 2:
        return "pending" if roll < 0.7 else "processed"
    if age < 6:
        return "pending" if roll < 0.08 else "processed" if roll < 0.25 else "cancelled" if roll < 0.32 else "shipped"
    if age < 15:
        return "shipped" if roll < 0.3 else "cancelled" if roll < 0.35 else "return_requested" if roll < 0.38 else "exchange_requested" if roll < 0.4 else "delivered"
    return ("cancelled" if roll < 0.06 else "returned" if roll < 0.11 else "exchanged" if roll < 0.14
            else "return_requested" if roll < 0.15 else "delivered")


popular = sorted(variants, key=lambda v: rng.random())
weights = [1.0 / (1 + rank) ** 0.6 for rank in range(len(popular))]
reviewed = set((r["user_id"], r["product_id"]) for r in reviews)

for user_id in range(15, 15 + RANDOM_USERS):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}{rng.randint(1, 9999)}@example.com".replace("ü", "u")
    while email in used_emails:
        email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99999)}@example.com".replace("ü", "u")
    joined = random_moment(START - timedelta(days=900), CLOCK - timedelta(days=10))
    phone = f"+1-{rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}" if rng.random() < 0.85 else None
    add_user(user_id, first, last, email, phone, joined)
    city, state, prefix = rng.choice(CITIES)
    home = add_address(user_id, "Home", f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
                       f"Apt {rng.randint(1, 40)}" if rng.random() < 0.3 else "", city, state,
                       f"{prefix}{rng.randint(0, 99):02d}", True)
    saved = [home]
    if rng.random() < 0.35:
        city, state, prefix = rng.choice(CITIES)
        saved.append(add_address(user_id, "Work", f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
                                 f"Floor {rng.randint(2, 30)}", city, state, f"{prefix}{rng.randint(0, 99):02d}", False))
    if rng.random() < 0.08:
        city, state, prefix = rng.choice(CITIES)
        saved.append(add_address(user_id, "Parents", f"{rng.randint(1, 9999)} {rng.choice(STREETS)}", "", city, state,
                                 f"{prefix}{rng.randint(0, 99):02d}", False))
    methods = []
    if rng.random() < 0.88:
        methods.append(add_card(user_id, rng.choice(["Visa", "Visa", "Mastercard", "Amex", "Discover"]), f"{rng.randint(0, 9999):04d}"))
        if rng.random() < 0.15:
            four = f"{rng.randint(0, 9999):04d}"
            if (user_id, four) not in used_cards:
                methods.append(add_card(user_id, "Mastercard", four))
    if rng.random() < 0.3 or not methods:
        methods.append(add_paypal(user_id, email))
    gift = None
    if rng.random() < 0.22:
        gift = add_gift_card(user_id, f"GC-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}", rng.choice([0.0, 5.0, 12.5, 25.0, 40.0, 50.0, 100.0, 150.0]))
    # Orders per customer: heavy-tailed (most order a few times, a few very often).
    count = min(45, int(rng.paretovariate(1.12)))
    if rng.random() < 0.12:
        count = 0
    for _ in range(count):
        moment = order_moment()
        status = status_for(moment)
        lines_count = rng.choices([1, 2, 3, 4, 5], weights=[52, 29, 12, 5, 2])[0]
        picks = []
        while len(picks) < lines_count:
            v = rng.choices(popular, weights=weights)[0]
            if v not in picks:
                picks.append(v)
        lines = [(v, 1 if rng.random() < 0.85 or v["price"] > 150 else rng.randint(2, 3)) for v in picks]
        address = saved[0] if len(saved) == 1 or rng.random() < 0.8 else rng.choice(saved[1:])
        split = gift if gift is not None and gift["balance"] > 0 and rng.random() < 0.3 else None
        order, items = add_order(user_id, address, moment, status, lines, rng.choice(methods), split)
        if status in ("delivered", "returned", "exchanged"):
            for item in items:
                product_id = variant_by_id[item["variant_id"]]["product_id"]
                if (user_id, product_id) not in reviewed and rng.random() < 0.28:
                    reviewed.add((user_id, product_id))
                    rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 28, 12, 8, 7])[0]
                    add_review(user_id, product_id, rating, min(CLOCK - timedelta(hours=1), moment + timedelta(days=rng.randint(5, 40))))
        if rng.random() < 0.1:
            topic, subject, body = rng.choice([
                ("shipping", "Where is my package?", "Tracking has not updated in three days."),
                ("order_issue", "Item arrived damaged", "The box was crushed and the item is scratched."),
                ("payment", "Charged twice", "I see two charges for this order on my statement."),
                ("returns", "Return label", "How do I print the return label?"),
                ("product_question", "Compatibility", "Does this work with my older model?"),
                ("order_issue", "Missing item", "One item of my order was not in the box."),
            ])
            status_ticket = rng.choices(["resolved", "open", "pending_customer", "escalated"], weights=[70, 12, 10, 8])[0]
            add_ticket(user_id, order["id"], topic, status_ticket, subject, body, min(CLOCK - timedelta(hours=2), moment + timedelta(days=rng.randint(1, 10))))
    if rng.random() < 0.04:
        add_ticket(user_id, None, "account", rng.choice(["resolved", "open"]), "Update my email",
                   "I would like to change the email address on my account.", random_moment(joined, CLOCK - timedelta(hours=3)))

# ---- writing -----------------------------------------------------------------------


def write_jsonl(name, rows):
    assert len(rows) <= MAX_ROWS, f"{name}: {len(rows)} rows"
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n")


def write_csv(name, rows, columns):
    assert len(rows) <= MAX_ROWS, f"{name}: {len(rows)} rows"
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in columns])


write_csv("categories.csv", categories, ["id", "name", "description"])
write_csv("products.csv", products, ["id", "name", "category_id", "brand", "description"])
write_csv("variants.csv", variants, ["id", "product_id", "sku", "price", "stock", "available"])
write_csv("variant_options.csv", variant_options, ["option_id", "variant", "option", "value"])
write_jsonl("users.jsonl", users)
write_jsonl("addresses.jsonl", addresses)
write_jsonl("payment_methods.jsonl", payment_methods)
write_jsonl("orders.jsonl", orders)
write_jsonl("order_items.jsonl", order_items)
write_jsonl("payments.jsonl", payments)
write_jsonl("shipments.jsonl", shipments)
write_jsonl("return_requests.jsonl", requests)
write_jsonl("return_items.jsonl", request_items)
write_jsonl("reviews.jsonl", reviews)
write_jsonl("support_tickets.jsonl", tickets)

counts = {
    "categories": len(categories), "products": len(products), "variants": len(variants),
    "variant_options": len(variant_options), "users": len(users), "addresses": len(addresses),
    "payment_methods": len(payment_methods), "orders": len(orders), "order_items": len(order_items),
    "payments": len(payments), "shipments": len(shipments), "return_requests": len(requests),
    "return_items": len(request_items), "reviews": len(reviews), "support_tickets": len(tickets),
}
for table, count in counts.items():
    print(f"{table:18} {count:6}")
print(f"{'total':18} {sum(counts.values()):6}")
