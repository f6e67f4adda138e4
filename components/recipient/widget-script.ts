"use client";

/**
 * Loads the bank's card widget script once per page (one `<script>` per URL, shared by every
 * render and re-render) and hands back its constructor. A failed load is forgotten so "try again"
 * really tries again.
 */

export interface WidgetSuccess {
  number_hash: string;
  last4: string;
  brand: string;
  bin: string;
}

export interface WidgetOptions {
  publicToken: string;
  container: HTMLElement;
  locale: "ru" | "en";
  onReady?: () => void;
  onSuccess?: (result: WidgetSuccess) => void;
  onError?: (error: { code: string; message: string }) => void;
}

export interface WidgetInstance {
  render(): unknown;
  destroy(): void;
  focus?(): void;
}

export type WidgetConstructor = new (options: WidgetOptions) => WidgetInstance;

const LOAD_TIMEOUT_MS = 20_000;
const loads = new Map<string, Promise<void>>();

function constructorOf(globalName: string): WidgetConstructor | null {
  const value = (window as unknown as Record<string, unknown>)[globalName];
  return typeof value === "function" ? (value as WidgetConstructor) : null;
}

export function loadWidgetScript(url: string, globalName: string, integrity: string | null): Promise<WidgetConstructor> {
  const ready = constructorOf(globalName);
  if (ready) return Promise.resolve(ready);
  let load = loads.get(url);
  if (!load) {
    load = new Promise<void>((resolve, reject) => {
      const script = document.createElement("script");
      const fail = () => {
        window.clearTimeout(timer);
        script.remove();
        loads.delete(url);
        reject(new Error(`card widget script did not load: ${url}`));
      };
      const timer = window.setTimeout(fail, LOAD_TIMEOUT_MS);
      script.src = url;
      script.async = true;
      if (integrity) {
        // A script whose bytes do not match the configured hash never runs (onerror → the page's error).
        // SRI on another origin's script needs a CORS fetch, hence `anonymous` (no cookies sent).
        script.integrity = integrity;
        script.crossOrigin = "anonymous";
      }
      // The page URL carries the payout link token: never send it to another origin as a Referer.
      script.referrerPolicy = "no-referrer";
      script.dataset.cardWidget = "";
      script.onload = () => {
        window.clearTimeout(timer);
        resolve();
      };
      script.onerror = fail;
      document.head.appendChild(script);
    });
    loads.set(url, load);
  }
  return load.then(() => {
    const loaded = constructorOf(globalName);
    if (!loaded) {
      loads.delete(url);
      throw new Error(`card widget script did not define window.${globalName}`);
    }
    return loaded;
  });
}
