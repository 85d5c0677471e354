import type { SmsEncoding } from '../interaction/interaction.entity.js';

/** The GSM 03.38 basic alphabet (one septet each), without the escape that introduces the extension table. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: an escape septet and the character's own, so two septets each. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

/** Units one message holds alone, and per part once the text is split (the rest carries the concatenation header). */
const CAPACITY: Readonly<Record<SmsEncoding, { readonly single: number; readonly part: number }>> = {
  GSM_7: { single: 160, part: 153 },
  UCS_2: { single: 70, part: 67 },
};

export interface SmsMeasure {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  readonly length: number;
  readonly segments: number;
}

/** The units each character takes: GSM-7 when every character has a septet, UCS-2 otherwise. */
function unitsOf(text: string): { encoding: SmsEncoding; units: number[] } {
  const characters = [...text];
  if (characters.every((character) => GSM_BASIC.has(character) || GSM_EXTENSION.has(character))) {
    return { encoding: 'GSM_7', units: characters.map((character) => (GSM_EXTENSION.has(character) ? 2 : 1)) };
  }
  // A character outside the basic plane is a surrogate pair: two UCS-2 units, never split across parts.
  return { encoding: 'UCS_2', units: characters.map((character) => character.length) };
}

/**
 * How a text goes out as SMS: its encoding, length and the parts it is cut into. A character of
 * two units (an extension character, a surrogate pair) is never split between parts, so a part may
 * hold one unit less than its capacity.
 */
export function measureSms(text: string): SmsMeasure {
  const { encoding, units } = unitsOf(text);
  const length = units.reduce((sum, unit) => sum + unit, 0);
  const capacity = CAPACITY[encoding];
  if (length <= capacity.single) return { encoding, length, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const unit of units) {
    if (used + unit > capacity.part) {
      segments += 1;
      used = 0;
    }
    used += unit;
  }
  return { encoding, length, segments };
}
