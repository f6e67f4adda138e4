import { createHash } from "node:crypto";

/**
 * Source of /widget/v1/bank131-card-widget.js, the host-page half of the sandbox card widget. It only
 * creates the iframe and relays messages: card digits never touch the host page. Plain ES2017, no build.
 * The real Bank 131 card widget API is not public; the portal keeps this URL and global in configuration.
 */

export const WIDGET_GLOBAL = "Bank131CardWidget";
export const WIDGET_SCRIPT_PATH = "/widget/v1/bank131-card-widget.js";
export const WIDGET_FRAME_PATH = "/widget/v1/frame";
export const WIDGET_MESSAGE_SOURCE = "bank131-card-widget";
export const WIDGET_INTEGRITY_PATH = "/widget/v1/integrity";

/**
 * The Subresource Integrity hash of the script as served from `origin` (the script names its own
 * origin, so the hash is per origin): what the portal's BANK131_WIDGET_INTEGRITY should say.
 */
export function widgetScriptIntegrity(origin: string): string {
  return `sha384-${createHash("sha384").update(widgetScript(origin)).digest("base64")}`;
}

export function widgetScript(fallbackOrigin: string): string {
  return `/* Bank 131 sandbox card widget — ${WIDGET_SCRIPT_PATH} */
(function () {
  "use strict";
  var SOURCE = ${JSON.stringify(WIDGET_MESSAGE_SOURCE)};
  // The sandbox origin is where this script came from; messages from anywhere else are ignored.
  var SANDBOX_ORIGIN = (function () {
    var s = document.currentScript;
    try { if (s && s.src) return new URL(s.src, window.location.href).origin; } catch (e) {}
    return ${JSON.stringify(fallbackOrigin)};
  })();
  var counter = 0;

  function resolveContainer(container) {
    if (typeof container === "string") return document.querySelector(container);
    if (container && container.nodeType === 1) return container;
    return null;
  }

  function Bank131CardWidget(options) {
    if (!(this instanceof Bank131CardWidget)) throw new TypeError("Bank131CardWidget must be called with new");
    if (!options || typeof options.publicToken !== "string" || options.publicToken.length === 0) {
      throw new TypeError("Bank131CardWidget: options.publicToken is required");
    }
    this.options = options;
    this.locale = options.locale === "en" ? "en" : "ru";
    counter += 1;
    this.id = "b131w" + counter + "-" + Math.random().toString(36).slice(2, 10);
    this.iframe = null;
    this._onMessage = this._onMessage.bind(this);
  }

  Bank131CardWidget.prototype.render = function () {
    var container = resolveContainer(this.options.container);
    if (!container) throw new Error("Bank131CardWidget: container not found");
    if (this.iframe) this.destroy();
    var params = new URLSearchParams({
      public_token: this.options.publicToken,
      locale: this.locale,
      parent_origin: window.location.origin,
      widget_id: this.id
    });
    var iframe = document.createElement("iframe");
    iframe.src = SANDBOX_ORIGIN + ${JSON.stringify(WIDGET_FRAME_PATH)} + "?" + params.toString();
    iframe.title = this.locale === "en" ? "Bank card form" : "Форма ввода банковской карты";
    iframe.setAttribute("scrolling", "no");
    iframe.setAttribute("referrerpolicy", "origin");
    // The form's usual height (the host reserves the same), so nothing below it moves when the frame reports its size.
    iframe.style.cssText = "display:block;width:100%;max-width:480px;min-width:0;border:0;height:200px;overflow:hidden;background:transparent";
    window.addEventListener("message", this._onMessage);
    container.appendChild(iframe);
    this.iframe = iframe;
    return this;
  };

  Bank131CardWidget.prototype._onMessage = function (event) {
    // Both checks: the right origin AND exactly our iframe (another widget on the page has another source).
    if (!this.iframe || event.origin !== SANDBOX_ORIGIN || event.source !== this.iframe.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.source !== SOURCE || data.widgetId !== this.id) return;
    var o = this.options;
    if (data.type === "resize" && typeof data.height === "number" && data.height > 0) {
      this.iframe.style.height = Math.ceil(Math.min(data.height, 2000)) + "px";
    } else if (data.type === "ready") {
      if (typeof o.onReady === "function") o.onReady();
    } else if (data.type === "success" && data.result) {
      var r = data.result;
      if (typeof o.onSuccess === "function") o.onSuccess({ number_hash: r.number_hash, last4: r.last4, brand: r.brand, bin: r.bin });
    } else if (data.type === "error" && data.error) {
      if (typeof o.onError === "function") o.onError({ code: String(data.error.code), message: String(data.error.message) });
    }
  };

  /** Moves keyboard focus into the card number field. */
  Bank131CardWidget.prototype.focus = function () {
    if (this.iframe && this.iframe.contentWindow) {
      this.iframe.contentWindow.postMessage({ source: SOURCE, widgetId: this.id, type: "focus" }, SANDBOX_ORIGIN);
    }
  };

  Bank131CardWidget.prototype.destroy = function () {
    window.removeEventListener("message", this._onMessage);
    if (this.iframe && this.iframe.parentNode) this.iframe.parentNode.removeChild(this.iframe);
    this.iframe = null;
  };

  Bank131CardWidget.origin = SANDBOX_ORIGIN;
  Bank131CardWidget.version = "1.0.0-sandbox";
  window.${WIDGET_GLOBAL} = Bank131CardWidget;
})();
`;
}
