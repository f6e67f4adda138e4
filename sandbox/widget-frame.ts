import { WIDGET_MESSAGE_SOURCE } from "./widget-script";

/**
 * The iframe page of the card widget: the only place card digits exist in the browser. It validates the
 * number (Luhn, brand), posts it to /widget/v1/tokenize on its own origin and reports the hash to the parent
 * by postMessage addressed to parent_origin only. All strings are localised (ru/en).
 */

export type WidgetLocale = "ru" | "en";

export const WIDGET_TEXT = {
  ru: {
    title: "Банковская карта",
    label: "Номер карты",
    hint: "Мир, Visa или Mastercard",
    submit: "Сохранить карту",
    busy: "Сохраняем…",
    saved: "Карта сохранена",
    empty: "Введите номер карты",
    length: "Номер карты должен содержать от 13 до 19 цифр",
    luhn: "Проверьте номер карты: в нём ошибка",
    brand: "Принимаются только карты Мир, Visa и Mastercard",
    public_token_invalid: "Ссылка на форму недействительна. Обновите страницу.",
    public_token_spent: "Эта форма уже использована. Обновите страницу.",
    public_token_expired: "Срок действия формы истёк. Обновите страницу.",
    public_token_not_for_widget: "Форма открыта с неподходящим токеном.",
    parent_origin_invalid: "Форма встроена на недопустимую страницу.",
    card_number_invalid: "Проверьте номер карты: в нём ошибка",
    card_brand_unsupported: "Принимаются только карты Мир, Visa и Mastercard",
    network_error: "Не удалось связаться с банком. Попробуйте ещё раз.",
    internal_error: "Ошибка на стороне банка. Попробуйте ещё раз.",
  },
  en: {
    title: "Bank card",
    label: "Card number",
    hint: "Mir, Visa or Mastercard",
    submit: "Save card",
    busy: "Saving…",
    saved: "Card saved",
    empty: "Enter the card number",
    length: "A card number has 13 to 19 digits",
    luhn: "Check the card number: it contains a mistake",
    brand: "Only Mir, Visa and Mastercard cards are accepted",
    public_token_invalid: "This form link is not valid. Reload the page.",
    public_token_spent: "This form has already been used. Reload the page.",
    public_token_expired: "This form has expired. Reload the page.",
    public_token_not_for_widget: "The form was opened with an unsuitable token.",
    parent_origin_invalid: "The form is embedded in a page that is not allowed.",
    card_number_invalid: "Check the card number: it contains a mistake",
    card_brand_unsupported: "Only Mir, Visa and Mastercard cards are accepted",
    network_error: "Could not reach the bank. Try again.",
    internal_error: "The bank had a problem. Try again.",
  },
} as const;

export type WidgetErrorCode = keyof typeof WIDGET_TEXT.en;

export interface FramePageOptions {
  locale: WidgetLocale;
  publicToken: string;
  parentOrigin: string | null;
  widgetId: string;
  nonce: string;
  /** Error known at render time (bad/spent/expired token, bad parent origin): the form is disabled. */
  initialError: WidgetErrorCode | null;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function framePage(o: FramePageOptions): string {
  const t = WIDGET_TEXT[o.locale];
  const config = JSON.stringify({
    publicToken: o.publicToken,
    parentOrigin: o.parentOrigin,
    widgetId: o.widgetId,
    source: WIDGET_MESSAGE_SOURCE,
    initialError: o.initialError,
    text: t,
  }).replace(/</g, "\\u003c");
  const disabled = o.initialError ? " disabled" : "";
  const initialMessage = o.initialError ? escapeHtml(t[o.initialError]) : "";
  return `<!doctype html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style nonce="${o.nonce}">
  *, *::before, *::after { box-sizing: border-box; }
  html, body { margin: 0; padding: 0; background: transparent; }
  body { font: 16px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
  form { padding: 12px 2px; max-width: 480px; }
  label { display: block; font-weight: 600; margin-bottom: 4px; }
  .row { position: relative; }
  input { width: 100%; min-width: 0; font: inherit; font-size: 18px; letter-spacing: 0.04em; padding: 10px 88px 10px 12px;
          border: 1px solid #8a8a8a; border-radius: 8px; background: #fff; color: inherit; }
  input:focus { outline: 3px solid #0b63ce; outline-offset: 1px; border-color: #0b63ce; }
  input[aria-invalid="true"] { border-color: #b00020; }
  .brand { position: absolute; right: 10px; top: 50%; transform: translateY(-50%); font-size: 13px; font-weight: 700;
           text-transform: uppercase; color: #444; pointer-events: none; }
  .hint { font-size: 13px; color: #555; margin: 4px 0 0; }
  .error { font-size: 14px; color: #b00020; margin: 6px 0 0; min-height: 1.4em; }
  .ok { font-size: 14px; color: #0a6b2d; margin: 6px 0 0; }
  button { margin-top: 8px; width: 100%; min-height: 44px; font: inherit; font-weight: 600; border: 0; border-radius: 8px;
           background: #0b63ce; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
  button[disabled] { background: #9bb7dc; cursor: not-allowed; }
</style>
</head>
<body>
<form id="form" novalidate>
  <label for="card-number">${escapeHtml(t.label)}</label>
  <div class="row">
    <input id="card-number" name="card-number" type="text" inputmode="numeric" autocomplete="cc-number"
           aria-describedby="card-hint card-error" aria-invalid="${o.initialError ? "true" : "false"}"
           placeholder="0000 0000 0000 0000" maxlength="23" spellcheck="false"${disabled}>
    <span class="brand" id="card-brand" aria-live="polite"></span>
  </div>
  <p class="hint" id="card-hint">${escapeHtml(t.hint)}</p>
  <p class="error" id="card-error" role="alert">${initialMessage}</p>
  <p class="ok" id="card-ok" role="status" hidden></p>
  <button id="submit" type="submit"${disabled}>${escapeHtml(t.submit)}</button>
</form>
<script type="application/json" id="cfg">${config}</script>
<script nonce="${o.nonce}">
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("cfg").textContent);
  var t = cfg.text;
  var form = document.getElementById("form");
  var input = document.getElementById("card-number");
  var brandEl = document.getElementById("card-brand");
  var errorEl = document.getElementById("card-error");
  var okEl = document.getElementById("card-ok");
  var button = document.getElementById("submit");
  var embedded = window.parent !== window;
  var blocked = false;

  // The embedding page must be parent_origin: ancestorOrigins where the browser has it (CSP frame-ancestors
  // enforces the same on every browser).
  if (embedded && cfg.parentOrigin && location.ancestorOrigins && location.ancestorOrigins.length > 0 &&
      location.ancestorOrigins[0] !== cfg.parentOrigin) {
    blocked = true;
  }

  function post(type, extra) {
    if (!embedded || blocked || !cfg.parentOrigin) return;
    var msg = { source: cfg.source, widgetId: cfg.widgetId, type: type };
    for (var k in extra) msg[k] = extra[k];
    // targetOrigin = parent_origin: the browser drops the message if the parent is anything else.
    window.parent.postMessage(msg, cfg.parentOrigin);
  }

  function digitsOf(value) { return value.replace(/\\D/g, "").slice(0, 19); }

  function luhn(d) {
    var sum = 0, dbl = false;
    for (var i = d.length - 1; i >= 0; i--) {
      var n = d.charCodeAt(i) - 48;
      if (dbl) { n *= 2; if (n > 9) n -= 9; }
      sum += n; dbl = !dbl;
    }
    return sum % 10 === 0;
  }

  function brandOf(d) {
    var two = Number(d.slice(0, 2)), four = Number(d.slice(0, 4));
    if (d.charAt(0) === "4") return "visa";
    if (d.length >= 4 && four >= 2200 && four <= 2204) return "mir";
    if (two >= 51 && two <= 55) return "mastercard";
    if (d.length >= 4 && four >= 2221 && four <= 2720) return "mastercard";
    return null;
  }
  var BRAND_LABEL = { mir: "Mir", visa: "Visa", mastercard: "Mastercard" };

  function format(d) { return d.replace(/(\\d{4})(?=\\d)/g, "$1 "); }

  function setError(code) {
    var message = code ? (t[code] || t.internal_error) : "";
    errorEl.textContent = message;
    input.setAttribute("aria-invalid", code ? "true" : "false");
    return message;
  }

  function resize() {
    post("resize", { height: Math.ceil(document.documentElement.getBoundingClientRect().height) });
  }

  input.addEventListener("input", function () {
    var caretDigits = digitsOf(input.value.slice(0, input.selectionStart || 0)).length;
    var d = digitsOf(input.value);
    var formatted = format(d);
    input.value = formatted;
    // Keep the caret after the same number of digits once spaces are re-inserted.
    var pos = 0, seen = 0;
    while (pos < formatted.length && seen < caretDigits) { if (/\\d/.test(formatted.charAt(pos))) seen++; pos++; }
    try { input.setSelectionRange(pos, pos); } catch (e) {}
    var b = d.length >= 1 ? brandOf(d) : null;
    brandEl.textContent = b ? BRAND_LABEL[b] : "";
    if (input.getAttribute("aria-invalid") === "true") setError(null);
    okEl.hidden = true;
  });

  function validate(d) {
    if (d.length === 0) return "empty";
    if (d.length < 13 || d.length > 19) return "length";
    if (!luhn(d)) return "luhn";
    if (!brandOf(d)) return "brand";
    return null;
  }

  // Enter in the field submits the form (native behaviour of a form with a submit button).
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (blocked || button.disabled) return;
    var d = digitsOf(input.value);
    var problem = validate(d);
    if (problem) { setError(problem); input.focus(); resize(); return; }
    setError(null);
    button.disabled = true;
    button.textContent = t.busy;
    fetch("/widget/v1/tokenize", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ public_token: cfg.publicToken, number: d }),
      credentials: "omit",
      cache: "no-store"
    }).then(function (res) {
      return res.json().catch(function () { return { status: "error", error: { code: "internal_error" } }; });
    }, function () {
      return { status: "error", error: { code: "network_error" } };
    }).then(function (body) {
      if (body && body.status === "ok") {
        // Forget the digits as soon as the hash exists.
        input.value = "";
        input.disabled = true;
        brandEl.textContent = BRAND_LABEL[body.brand] || "";
        okEl.textContent = t.saved + ": " + (BRAND_LABEL[body.brand] || body.brand) + " •••• " + body.last4;
        okEl.hidden = false;
        button.textContent = t.saved;
        post("success", { result: { number_hash: body.number_hash, last4: body.last4, brand: body.brand, bin: body.bin } });
      } else {
        var code = body && body.error && body.error.code ? String(body.error.code) : "internal_error";
        var message = setError(code);
        var final = code.indexOf("public_token") === 0;
        button.disabled = final;
        input.disabled = final;
        button.textContent = t.submit;
        if (!final) input.focus();
        post("error", { error: { code: code, message: message } });
      }
      resize();
    });
  });

  // Messages from the host page: accepted only from parent_origin and only from the parent window.
  window.addEventListener("message", function (event) {
    if (!cfg.parentOrigin || event.origin !== cfg.parentOrigin || event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.source !== cfg.source || data.widgetId !== cfg.widgetId) return;
    if (data.type === "focus" && !input.disabled) input.focus();
  });

  if (blocked) {
    input.disabled = true; button.disabled = true; setError("parent_origin_invalid");
  } else if (cfg.initialError) {
    post("error", { error: { code: cfg.initialError, message: t[cfg.initialError] } });
  }
  if (typeof ResizeObserver === "function") new ResizeObserver(resize).observe(document.body);
  post("ready", {});
  resize();
})();
</script>
</body>
</html>`;
}
