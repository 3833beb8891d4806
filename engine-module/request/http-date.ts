// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the two obsolete forms recipients must still accept.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const IMF = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** Milliseconds since the epoch, or null when the text is not an HTTP-date. */
export function parseHttpDate(text: string): number | null {
  const s = text.trim();
  let m = IMF.exec(s);
  if (m) return utc(+m[3], m[2], +m[1], +m[4], +m[5], +m[6]);
  m = RFC850.exec(s);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century; read 70..99 as 19xx.
    const yy = +m[3];
    return utc(yy >= 70 ? 1900 + yy : 2000 + yy, m[2], +m[1], +m[4], +m[5], +m[6]);
  }
  m = ASCTIME.exec(s);
  if (m) return utc(+m[6], m[1], +m[2], +m[3], +m[4], +m[5]);
  return null;
}

function utc(year: number, monthName: string, day: number, h: number, min: number, sec: number): number | null {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) return null;
  return Date.UTC(year, month, day, h, min, sec);
}
