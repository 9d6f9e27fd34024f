/** How the ops dashboard's charts put together what each service answers (issue 14). */

/** One service's answer, or why there is none: a chart is unavailable rather than wrong. */
export type Section<T> = { ok: true; data: T } | { ok: false; error: string };

/** Open audits (awaiting documents or under review) counted by days left, soonest first, with their ids. */
export function auditQueue(
  ...lists: Section<{ applicationId: string; daysLeft: number | null }[]>[]
): Section<{ daysLeft: number; count: number; applicationIds: string[] }[]> {
  const failed = lists.find((l) => !l.ok);
  if (failed && !failed.ok) return failed;
  const buckets = new Map<number, string[]>();
  for (const list of lists)
    for (const audit of list.ok ? list.data : [])
      if (audit.daysLeft !== null)
        buckets.set(audit.daysLeft, [...(buckets.get(audit.daysLeft) ?? []), audit.applicationId]);
  return {
    ok: true,
    data: [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([daysLeft, applicationIds]) => ({
        daysLeft,
        count: applicationIds.length,
        applicationIds: applicationIds.sort(),
      })),
  };
}

/** Deadlines per week and kind, summed over the services that keep deadlines. */
export function weekly(
  sections: Section<{ weekOf: string; kind: string; count: number }[]>[],
): Section<{ weekOf: string; kind: string; count: number }[]> {
  const failed = sections.find((s) => !s.ok);
  if (failed && !failed.ok) return failed;
  const sums = new Map<string, { weekOf: string; kind: string; count: number }>();
  for (const section of sections)
    for (const row of section.ok ? section.data : []) {
      const key = `${row.weekOf} ${row.kind}`;
      sums.set(key, { ...row, count: (sums.get(key)?.count ?? 0) + row.count });
    }
  return {
    ok: true,
    data: [...sums.values()].sort((a, b) => a.weekOf.localeCompare(b.weekOf) || a.kind.localeCompare(b.kind)),
  };
}

/** Dead letters per day, summed over every service. */
export function daily(
  sections: Section<{ day: string; count: number }[]>[],
): Section<{ day: string; count: number }[]> {
  const failed = sections.find((s) => !s.ok);
  if (failed && !failed.ok) return failed;
  const sums = new Map<string, number>();
  for (const section of sections)
    for (const row of section.ok ? section.data : []) sums.set(row.day, (sums.get(row.day) ?? 0) + row.count);
  return { ok: true, data: [...sums.entries()].map(([day, count]) => ({ day, count })) };
}

/** One service's answer to a read, or why there is none: a section the dashboard marks unavailable. */
export async function readSection<T>(
  url: string,
  service: string,
  credentials: Record<string, string>,
): Promise<Section<T>> {
  try {
    const response = await fetch(url, { headers: credentials, signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return { ok: false, error: `${service} answered ${response.status}` };
    return { ok: true, data: (await response.json()) as T };
  } catch (error) {
    return { ok: false, error: `${service} did not answer: ${(error as Error).message}` };
  }
}
