import { UserError } from '../errors/UserError';

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * An ISO 8601 duration (`PT1H`, `P2D`, `PT90S`, `P1DT12H`) in milliseconds. Years and months are
 * refused: their length varies, and these settings are windows of time.
 */
export function parseIsoDuration(text: string, settingName: string): number {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().toUpperCase() === 'PT') {
    throw new UserError(`setting ${settingName}: ${JSON.stringify(text)} is not an ISO 8601 duration such as PT30M, PT6H or P2D`);
  }
  const [, w, d, h, min, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}
