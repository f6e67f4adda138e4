import { describe, expect, it } from "vitest";
import { errorMessage, recipientErrorSentences } from "@/lib/i18n/errors";
import { pageTitle, recipientDictionary } from "@/lib/i18n/recipient";
import { formatLinkDate } from "@/lib/i18n/recipient-texts";

describe("the recipient page's texts", () => {
  it("words the page in the language asked for, each language from its own module", () => {
    expect(recipientDictionary("ru").summary.sends("ООО «Ромашка»")).toBe("ООО «Ромашка» отправляет вам выплату");
    expect(recipientDictionary("en").summary.sends("Romashka LLC")).toBe("Romashka LLC is sending you a payout");
    expect(pageTitle("en", { kind: "active" })).toBe("Receive your payout · Bank 131");
  });

  it("states the link's expiry in Moscow time, worded on the server in the page's language", () => {
    expect(formatLinkDate("2026-12-07T09:05:00.000Z", "ru")).toBe("7 декабря 2026 г. в 12:05 (МСК)");
    expect(formatLinkDate("2026-12-07T09:05:00.000Z", "en")).toBe("7 December 2026 at 12:05 (Moscow time)");
  });

  it("hands the browser one language's error sentences in the recipient's words, not the catalogue", () => {
    const sentences = recipientErrorSentences("en");
    expect(sentences.link_revoked).toBe("The payer revoked this link.");
    expect(sentences.bank_unavailable).toBe(errorMessage({ code: "bank_unavailable" }, "en", "recipient"));
    expect(sentences.widget_load_failed).toBe(errorMessage({ code: "widget_load_failed" }, "en", "recipient"));
    // Unknown codes read as internal_error in the browser (components/recipient/error-text.tsx).
    expect(sentences.internal_error).toBe(errorMessage({ code: "no_such_code" }, "en", "recipient"));
    expect(Object.values(recipientErrorSentences("ru")).every((sentence) => /[а-яё]/iu.test(sentence))).toBe(true);
  });
});
