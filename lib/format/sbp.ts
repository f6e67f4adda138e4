/**
 * SBP (faster payment system) wording: phones and verified names as people read them. The bank keeps
 * phones as `7XXXXXXXXXX`; names reach screens only masked.
 */

/** `79000000001` → `+7 900 000-00-01`. */
export function formatPhone(phone: string): string {
  const m = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : phone;
}

/** `79000000001` → `+7 900 ***-**-01`: enough to recognise one's own number, not to dial it. */
export function maskPhone(phone: string): string {
  const m = /^7(\d{3})\d{5}(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ***-**-${m[2]}` : "+7 ***";
}

/**
 * A verified name as SBP shows it: given name (and patronymic) in full, surname by its initial.
 * Accepts the bank's parts or a full name in Russian order («Иванов Иван Иванович» → «Иван Иванович И.»).
 */
export function maskPersonName(name: { fullName?: string | null; firstName?: string | null; lastName?: string | null; middleName?: string | null }): string | null {
  let first = name.firstName?.trim() ?? "";
  let middle = name.middleName?.trim() ?? "";
  let last = name.lastName?.trim() ?? "";
  if (!first && name.fullName) {
    const words = name.fullName.trim().split(/\s+/u).filter(Boolean);
    if (words.length === 1) return `${words[0]!.slice(0, 1)}.`;
    const [surname = "", given = "", ...patronymic] = words;
    last = surname;
    first = given;
    middle = patronymic.join(" ");
  }
  if (!first) return null;
  return [first, middle, last ? `${last.slice(0, 1)}.` : ""].filter(Boolean).join(" ");
}
