/**
 * Source of /self-employed.js, the sandbox's linking widget for the self-employed. The documented shape
 * (docs widget/selfemployed-widget) is kept: `new Bank131SelfEmployed({ initialValues: { taxReferenceOrPhone },
 * stage: Bank131SelfEmployed.STAGES.bind, publicToken }).render()` into `<div id="bank131-self-employed">`.
 * Everything else — markup, endpoints, the window message payloads — is the sandbox's (UNCONFIRMED).
 * Plain ES2017, no build.
 */

export const NPD_WIDGET_GLOBAL = "Bank131SelfEmployed";
export const NPD_WIDGET_SCRIPT_PATH = "/self-employed.js";
export const NPD_WIDGET_CSS_PATH = "/self-employed.css";
export const NPD_WIDGET_CONTAINER_ID = "bank131-self-employed";
export const NPD_WIDGET_MESSAGE_SOURCE = "bank131-self-employed";
export const NPD_REQUEST_PATH = "/self-employed/v1/requests";
export const NPD_REQUEST_STATUS_PATH = "/self-employed/v1/requests/status";
export const MY_TAX_PATH = "/npd/my-tax";

export const NPD_WIDGET_CSS = `#${NPD_WIDGET_CONTAINER_ID}{font:15px/1.45 system-ui,sans-serif;max-width:480px;border:1px solid #d0d5dd;border-radius:8px;padding:16px}
#${NPD_WIDGET_CONTAINER_ID} label{display:block;margin:8px 0}
#${NPD_WIDGET_CONTAINER_ID} input[type=text]{width:100%;box-sizing:border-box;padding:8px;font:inherit}
#${NPD_WIDGET_CONTAINER_ID} button{margin-top:8px;padding:8px 14px;font:inherit;cursor:pointer}
#${NPD_WIDGET_CONTAINER_ID} .b131se-error{color:#b42318}
#${NPD_WIDGET_CONTAINER_ID} .b131se-ok{color:#067647}
`;

export function npdWidgetScript(fallbackOrigin: string): string {
  return `/* Bank 131 sandbox self-employed linking widget — ${NPD_WIDGET_SCRIPT_PATH} */
(function () {
  "use strict";
  var ORIGIN = (function () {
    var s = document.currentScript;
    try { if (s && s.src) return new URL(s.src, window.location.href).origin; } catch (e) {}
    return ${JSON.stringify(fallbackOrigin)};
  })();
  var TEXT = {
    title: "Привязка к Банку 131",
    lead: "Банк 131 будет регистрировать ваш доход и формировать чеки в «Мой налог».",
    field: "ИНН или телефон",
    consent: "Я разрешаю Банку 131 действовать от моего имени в «Мой налог»",
    send: "Отправить запрос",
    sent: "Запрос отправлен. Подтвердите разрешение для Банка 131 в приложении «Мой налог».",
    myTax: "Открыть «Мой налог» (симуляция)",
    refresh: "Обновить статус",
    confirmed: "Готово: Банк 131 привязан к вашему ИНН.",
    rejected: "Запрос отклонён в «Мой налог». Чтобы попробовать снова, обновите страницу.",
    consentMissing: "Подтвердите согласие",
    network: "Не удалось связаться с банком. Попробуйте ещё раз."
  };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text) node.textContent = text;
    return node;
  }

  function post(path, body) {
    return fetch(ORIGIN + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (res) { return res.json(); });
  }

  function Bank131SelfEmployed(options) {
    if (!(this instanceof Bank131SelfEmployed)) throw new TypeError("Bank131SelfEmployed must be called with new");
    if (!options || typeof options.publicToken !== "string" || !options.publicToken) throw new TypeError("Bank131SelfEmployed: publicToken is required");
    var initial = options.initialValues || {};
    this.publicToken = options.publicToken;
    // Older docs call it taxReference.
    this.value = String(initial.taxReferenceOrPhone || initial.taxReference || "");
    this.stage = options.stage || Bank131SelfEmployed.STAGES.bind;
    this.state = "initial";
    this.taxReference = null;
    this.error = null;
  }

  Bank131SelfEmployed.STAGES = { bind: "bind" };
  Bank131SelfEmployed.STATES = { initial: "initial", requestSent: "request_sent", confirmed: "confirmed", rejected: "rejected", error: "error" };

  Bank131SelfEmployed.prototype.render = function () {
    var root = document.getElementById(${JSON.stringify(NPD_WIDGET_CONTAINER_ID)});
    if (!root) throw new Error("Bank131SelfEmployed: <div id=\\"${NPD_WIDGET_CONTAINER_ID}\\"> not found");
    this.root = root;
    this._draw();
    return this;
  };

  Bank131SelfEmployed.prototype._emit = function () {
    var message = { source: ${JSON.stringify(NPD_WIDGET_MESSAGE_SOURCE)}, type: "state", state: this.state, taxReference: this.taxReference };
    if (this.error) message.error = this.error;
    window.postMessage(message, window.location.origin);
  };

  Bank131SelfEmployed.prototype._set = function (answer) {
    if (answer && answer.status === "ok") {
      this.state = answer.state;
      this.taxReference = answer.tax_reference;
      this.error = null;
    } else {
      this.state = "error";
      this.error = answer && answer.error ? { code: String(answer.error.code), message: String(answer.error.description) } : { code: "network_error", message: TEXT.network };
    }
    this._draw();
    this._emit();
  };

  Bank131SelfEmployed.prototype._draw = function () {
    var self = this;
    var root = this.root;
    root.textContent = "";
    root.setAttribute("data-state", this.state);
    root.appendChild(el("h3", {}, TEXT.title));
    if (this.state === "initial" || this.state === "error") {
      root.appendChild(el("p", {}, TEXT.lead));
      var label = el("label", {}, TEXT.field);
      var input = el("input", { type: "text", name: "tax_reference_or_phone", inputmode: "numeric", autocomplete: "off" });
      input.value = this.value;
      label.appendChild(input);
      root.appendChild(label);
      var consentLabel = el("label", {});
      var consent = el("input", { type: "checkbox", name: "consent" });
      consentLabel.appendChild(consent);
      consentLabel.appendChild(document.createTextNode(" " + TEXT.consent));
      root.appendChild(consentLabel);
      if (this.error) root.appendChild(el("p", { "class": "b131se-error", role: "alert" }, this.error.message));
      var send = el("button", { type: "button" }, TEXT.send);
      send.addEventListener("click", function () {
        if (!consent.checked) { self.error = { code: "consent_required", message: TEXT.consentMissing }; self.state = "error"; self.value = input.value; self._draw(); return; }
        self.value = input.value;
        send.disabled = true;
        post(${JSON.stringify(NPD_REQUEST_PATH)}, { public_token: self.publicToken, tax_reference_or_phone: input.value.trim() })
          .then(function (a) { self._set(a); }, function () { self._set(null); });
      });
      root.appendChild(send);
    } else if (this.state === "request_sent") {
      root.appendChild(el("p", { role: "status" }, TEXT.sent));
      var link = el("a", { href: ORIGIN + ${JSON.stringify(MY_TAX_PATH)} + "?tax_reference=" + encodeURIComponent(this.taxReference || ""), target: "_blank", rel: "noopener" }, TEXT.myTax);
      root.appendChild(el("p", {})).appendChild(link);
      var refresh = el("button", { type: "button" }, TEXT.refresh);
      refresh.addEventListener("click", function () {
        refresh.disabled = true;
        post(${JSON.stringify(NPD_REQUEST_STATUS_PATH)}, { public_token: self.publicToken })
          .then(function (a) { self._set(a); }, function () { self._set(null); });
      });
      root.appendChild(refresh);
    } else if (this.state === "confirmed") {
      root.appendChild(el("p", { "class": "b131se-ok", role: "status" }, TEXT.confirmed));
    } else if (this.state === "rejected") {
      root.appendChild(el("p", { "class": "b131se-error", role: "alert" }, TEXT.rejected));
    }
  };

  Bank131SelfEmployed.origin = ORIGIN;
  Bank131SelfEmployed.version = "1.0.0-sandbox";
  window.${NPD_WIDGET_GLOBAL} = Bank131SelfEmployed;
})();
`;
}
