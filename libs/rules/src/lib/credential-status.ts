import { CalendarDate } from './calendar-date';
import { windowsOf } from './application-window';
import { Cycle } from './cycle';
import { RecertPolicy } from './policy';

/**
 * R8: active through the expiration day; expired (the grace year, when a late application is
 * still accepted, R9) through the final window's last day; lapsed after — the trainer must
 * certify again. Judged against the credential's latest cycle: once recertified, pass the next one.
 */
export type CredentialStatus = 'active' | 'expired' | 'lapsed';

export function credentialStatusOn(cycle: Cycle, on: CalendarDate, policy: RecertPolicy): CredentialStatus {
  const windows = windowsOf(cycle, policy);
  if (!on.isAfter(windows.expiresOn)) return 'active';
  if (!on.isAfter(windows.finalWindowEndsOn)) return 'expired';
  return 'lapsed';
}
