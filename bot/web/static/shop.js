/* Demo storefront: product grid, product page, cart (localStorage), checkout and pay step.
 * Every value from the server is rendered with textContent; no HTML strings are ever parsed. */
(function () {
  "use strict";
  var CART_KEY = "store-cart:v1";
  var main = document.getElementById("main");
  var LABELS = { material: "材质", colors: "颜色", sizes: "尺码", fit: "版型", collar: "领型", thickness: "厚薄",
    washing: "洗涤", capacity: "容量", weight: "重量", size: "尺寸", spf: "防晒指数", age: "适用", flavor: "口味" };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function yuan(value) { return "¥" + Number(value).toFixed(2).replace(/\.00$/, ""); }
  function getJSON(url, options) {
    return fetch(url, options).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw body; return body; });
    });
  }
  function toast(text) {
    var box = document.getElementById("toast");
    box.textContent = text;
    box.classList.add("show");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.classList.remove("show"); }, 2500);
  }
  function image(product, className) {
    var img = el("img", { src: product.image || "/static/favicon.svg", alt: product.name, className: className,
      loading: "lazy", width: "400", height: "400" });
    img.addEventListener("error", function () { img.src = "/static/favicon.svg"; }, { once: true });
    return img;
  }
  function show(children) {
    main.replaceChildren.apply(main, children);
  }

  /* ---- cart ---- */
  function readCart() {
    try { var items = JSON.parse(localStorage.getItem(CART_KEY) || "[]"); return Array.isArray(items) ? items : []; }
    catch (e) { return []; }
  }
  function writeCart(items) {
    localStorage.setItem(CART_KEY, JSON.stringify(items));
    var count = items.reduce(function (n, i) { return n + i.qty; }, 0);
    var badge = document.getElementById("cart-count");
    badge.textContent = String(count);
    badge.setAttribute("aria-label", count + " 件商品");
  }
  function addToCart(product, qty) {
    var items = readCart();
    var line = items.find(function (i) { return i.sku === product.sku; });
    if (line) line.qty = Math.min(line.qty + (qty || 1), 99);
    else items.push({ sku: product.sku, name: product.name, price: product.price, image: product.image, qty: qty || 1 });
    writeCart(items);
    toast("已加入购物车：" + product.name);
  }

  /* The chat widget reads the cart with every message and adds suggested products through this hook. */
  window.StoreChat = Object.assign(window.StoreChat || {}, {
    onAddToCart: function (card) { addToCart(card, 1); },
    getContext: function () {
      return { cart: readCart().map(function (i) { return { sku: i.sku, qty: i.qty }; }) };
    }
  });
  window.addEventListener("storage", function (e) { if (e.key === CART_KEY) writeCart(readCart()); });

  /* ---- views ---- */
  function stockBadge(product) {
    if (product.stock <= 0) return el("span", { className: "badge out", text: "暂时缺货" });
    if (product.stock <= 5) return el("span", { className: "badge low", text: "仅剩 " + product.stock + " 件" });
    return null;
  }
  function productTile(product) {
    return el("li", { className: "tile" }, [el("a", { href: "/products/" + encodeURIComponent(product.sku) }, [
      image(product, "tile-img"),
      el("span", { className: "tile-name", text: product.name }),
      el("span", { className: "tile-meta" }, [el("span", { className: "price", text: yuan(product.price) }), stockBadge(product)])
    ])]);
  }
  function home() {
    getJSON("/api/products").then(function (products) {
      var grid = el("ul", { className: "grid", "aria-label": "商品列表" });
      var categories = ["全部"].concat(products.map(function (p) { return p.category; })
        .filter(function (c, i, all) { return c && all.indexOf(c) === i; }));
      var chips = el("div", { className: "chips", role: "group", "aria-label": "按分类筛选" });
      function filter(category) {
        Array.prototype.forEach.call(chips.children, function (chip) {
          chip.setAttribute("aria-pressed", String(chip.textContent === category));
        });
        grid.replaceChildren.apply(grid, products.filter(function (p) {
          return category === "全部" || p.category === category;
        }).map(productTile));
      }
      categories.forEach(function (category) {
        var chip = el("button", { type: "button", className: "chip", text: category });
        chip.addEventListener("click", function () { filter(category); });
        chips.appendChild(chip);
      });
      show([el("section", { className: "hero" }, [
        el("h1", { text: "好物精选，放心购" }),
        el("p", { text: "有任何问题，点右下角「在线客服」，亲切的客服随时为您解答哦～" })
      ]), chips, grid]);
      filter("全部");
    }).catch(failed);
  }
  function attributeList(attributes) {
    var list = el("dl", { className: "attrs" });
    Object.keys(attributes || {}).forEach(function (key) {
      var value = attributes[key];
      if (!LABELS[key] || value === null || typeof value === "object" && !Array.isArray(value)) return;
      list.appendChild(el("dt", { text: LABELS[key] }));
      list.appendChild(el("dd", { text: Array.isArray(value) ? value.join(" / ") : String(value) }));
    });
    return list.children.length ? list : null;
  }
  function product(sku) {
    getJSON("/api/products/" + encodeURIComponent(sku)).then(function (p) {
      var qty = el("input", { id: "qty", type: "number", min: "1", max: "99", value: "1", inputmode: "numeric" });
      var add = el("button", { type: "button", className: "btn primary", text: p.stock > 0 ? "加入购物车" : "暂时缺货" });
      var buy = el("button", { type: "button", className: "btn", text: "立即购买" });
      var ask = el("button", { type: "button", className: "btn ghost", text: "问问客服" });
      add.disabled = buy.disabled = p.stock <= 0;
      function amount() { return Math.max(1, Math.min(99, parseInt(qty.value, 10) || 1)); }
      add.addEventListener("click", function () { addToCart(p, amount()); });
      buy.addEventListener("click", function () { addToCart(p, amount()); location.href = "/cart"; });
      ask.addEventListener("click", function () { if (window.StoreChatWidget) window.StoreChatWidget.open(); });
      document.title = p.name + " · " + document.title.split(" · ").pop();
      show([el("nav", { className: "crumbs", "aria-label": "位置" }, [
        el("a", { href: "/", text: "全部商品" }), el("span", { text: " / " + p.category })
      ]), el("article", { className: "detail" }, [
        image(p, "detail-img"),
        el("div", { className: "detail-info" }, [
          el("h1", { text: p.name }),
          el("p", { className: "detail-price" }, [el("span", { className: "price", text: yuan(p.price) }), stockBadge(p)]),
          el("p", { className: "desc", text: p.description || "" }),
          attributeList(p.attributes),
          el("div", { className: "qty-row" }, [el("label", { for: "qty", text: "数量" }), qty]),
          el("div", { className: "actions" }, [add, buy, ask])
        ])
      ])]);
    }).catch(failed);
  }
  function cart() {
    var items = readCart();
    if (!items.length) {
      show([el("h1", { text: "购物车" }), el("p", { className: "empty", text: "购物车还是空的，去挑几件喜欢的吧～" }),
        el("a", { className: "btn primary", href: "/", text: "去逛逛" })]);
      return;
    }
    var list = el("ul", { className: "cart-list", "aria-label": "购物车商品" });
    var total = 0;
    items.forEach(function (item) {
      total += item.price * item.qty;
      var minus = el("button", { type: "button", className: "btn small", text: "−", "aria-label": "减少 " + item.name });
      var plus = el("button", { type: "button", className: "btn small", text: "+", "aria-label": "增加 " + item.name });
      var remove = el("button", { type: "button", className: "btn small ghost", text: "删除", "aria-label": "删除 " + item.name });
      function change(delta) {
        var next = readCart().map(function (i) { if (i.sku === item.sku) i.qty = Math.min(99, i.qty + delta); return i; })
          .filter(function (i) { return i.qty > 0; });
        writeCart(next); cart();
      }
      minus.addEventListener("click", function () { change(-1); });
      plus.addEventListener("click", function () { change(1); });
      remove.addEventListener("click", function () { change(-item.qty); });
      list.appendChild(el("li", { className: "cart-line", "data-sku": item.sku }, [
        image(item, "cart-img"),
        el("div", { className: "cart-info" }, [el("span", { className: "cart-name", text: item.name }),
          el("span", { className: "price", text: yuan(item.price) })]),
        el("div", { className: "stepper" }, [minus, el("span", { className: "qty", text: String(item.qty) }), plus, remove])
      ]));
    });
    var submit = el("button", { type: "button", className: "btn primary", id: "checkout", text: "提交订单" });
    submit.addEventListener("click", function () { checkout(submit); });
    show([el("h1", { text: "购物车" }), list, el("div", { className: "cart-total" }, [
      el("span", { text: "合计：" }), el("strong", { className: "price", id: "cart-total", text: yuan(total) }), submit
    ])]);
  }
  /* The buyer is the chat widget's shopper session (its signed token), so reminders reach this chat. */
  function shopperSession() {
    var widget = window.StoreChatWidget;
    if (widget && widget.session) return widget.session();
    return getJSON("/api/chat/session", { method: "POST" }).then(function (s) { return { id: s.session_id, token: s.token }; });
  }
  function checkout(button) {
    var items = readCart().map(function (i) { return { sku: i.sku, qty: i.qty }; });
    button.disabled = true;
    shopperSession().then(function (s) {
      return getJSON("/api/orders", { method: "POST", body: JSON.stringify({ items: items }),
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + s.token } });
    })
      .then(function (order) { writeCart([]); location.href = "/orders/" + encodeURIComponent(order.order_id) + "/pay"; })
      .catch(function () { button.disabled = false; toast("下单没有成功，可能有商品库存不足，调整后再试一次吧～"); });
  }
  function pay(orderId) {
    getJSON("/api/orders/" + encodeURIComponent(orderId)).then(function render(order) {
      var lines = el("ul", { className: "order-lines" });
      order.items.forEach(function (i) {
        lines.appendChild(el("li", {}, [el("span", { text: i.name + " × " + i.qty }), el("span", { text: yuan(i.unit_price * i.qty) })]));
      });
      var paid = order.status === "paid";
      var status = el("p", { className: "order-status " + order.status, id: "order-status",
        text: paid ? "支付成功，我们会尽快为您发货～" : "订单已提交，等待付款" });
      var button = el("button", { type: "button", className: "btn primary", id: "pay-now", text: "确认付款 " + yuan(order.total) });
      button.addEventListener("click", function () {
        button.disabled = true;
        /* the demo payment provider: it signs the payment notification server side, like a real provider */
        shopperSession().then(function (s) {
          return getJSON("/api/payments/demo/" + encodeURIComponent(orderId),
            { method: "POST", headers: { "Authorization": "Bearer " + s.token } });
        }).then(render)
          .catch(function () { button.disabled = false; toast("付款没有成功，请稍后再试，或者问问在线客服哦"); });
      });
      show([el("h1", { text: "订单支付" }), el("p", { className: "order-id", text: "订单号：" + order.order_id }), status,
        lines, el("p", { className: "cart-total" }, [el("span", { text: "应付：" }), el("strong", { className: "price", text: yuan(order.total) })]),
        paid ? el("a", { className: "btn", href: "/", text: "继续逛逛" }) : el("div", { className: "actions" }, [button,
          el("a", { className: "btn ghost", href: "/", text: "稍后付款" })])]);
      if (paid) main.focus();
    }).catch(failed);
  }
  function failed() {
    show([el("h1", { text: "页面走丢了" }), el("p", { text: "没找到您要的内容，回首页看看别的好物吧～" }),
      el("a", { className: "btn primary", href: "/", text: "回到首页" })]);
  }

  writeCart(readCart());
  var view = main.getAttribute("data-view");
  if (view === "home") home();
  else if (view === "product") product(main.getAttribute("data-sku"));
  else if (view === "cart") cart();
  else if (view === "pay") pay(main.getAttribute("data-order-id"));
  else failed();
})();
