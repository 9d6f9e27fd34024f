import { KAFKA_PRINCIPALS, kafkaAcls } from './kafka-access';

/** Each principal's grants as `operation resource:pattern:name`, sorted. */
function grantsOf(groupPrefix: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const acl of kafkaAcls(groupPrefix)) {
    (grants[acl.principal] ??= []).push(`${acl.operation} ${acl.resource}:${acl.pattern}:${acl.name}`);
  }
  for (const list of Object.values(grants)) list.sort();
  return grants;
}

describe('Kafka ACLs derived from the topic registry (issue 13)', () => {
  it('issue 13: gives each principal exactly what it writes, consumes and its own group', () => {
    // Written by hand from the services' message controllers and the registry's owners.
    expect(grantsOf('recert-')).toEqual({
      applications: [
        'read group:prefixed:recert-applications',
        'read topic:literal:exam.certifications',
        'read topic:literal:portal.submissions',
        'read topic:literal:recert.audits',
        'read topic:literal:recert.ceu',
        'read topic:literal:recert.payments',
        'write topic:literal:recert.applications',
        'write topic:literal:recert.dead-letter',
      ],
      'ceu-verification': [
        'read group:prefixed:recert-ceu-verification',
        'read topic:literal:cpr.cards',
        'read topic:literal:learning.course-completions',
        'read topic:literal:learning.provider-registry',
        'read topic:literal:recert.applications',
        'read topic:literal:recert.ceu-work',
        'read topic:literal:recert.petitions',
        'write topic:literal:recert.ceu',
        'write topic:literal:recert.ceu-work',
        'write topic:literal:recert.dead-letter',
      ],
      petitions: [
        'read group:prefixed:recert-petitions',
        'read topic:literal:portal.submissions',
        'read topic:literal:recert.payments',
        'write topic:literal:recert.dead-letter',
        'write topic:literal:recert.petitions',
      ],
      payments: [
        'read group:prefixed:recert-payments',
        'read topic:literal:payments.processor-events',
        'read topic:literal:recert.applications',
        'read topic:literal:recert.petitions',
        'write topic:literal:recert.dead-letter',
        'write topic:literal:recert.payments',
      ],
      audits: [
        'read group:prefixed:recert-audits',
        'read topic:literal:documents.audit-uploads',
        'read topic:literal:recert.applications',
        'write topic:literal:recert.audits',
        'write topic:literal:recert.dead-letter',
      ],
      // HTTP ingestion: every upstream event but the processor's posted to /v1/events/* goes to its topic; it reads nothing.
      gateway: [
        'describe group:prefixed:recert-gateway',
        'write topic:literal:cpr.cards',
        'write topic:literal:documents.audit-uploads',
        'write topic:literal:exam.certifications',
        'write topic:literal:learning.course-completions',
        'write topic:literal:learning.provider-registry',
        'write topic:literal:portal.submissions',
      ],
      'exam-system': ['write topic:literal:exam.certifications'],
      'learning-platform': ['write topic:literal:learning.course-completions'],
      'provider-registry': ['write topic:literal:learning.provider-registry'],
      'cpr-aed-providers': ['write topic:literal:cpr.cards'],
      'payment-processor': ['write topic:literal:payments.processor-events'],
      'document-store': ['write topic:literal:documents.audit-uploads'],
      'student-portal': ['write topic:literal:portal.submissions'],
    });
  });

  it('issue 13: a test run with its own group prefix gets group grants of its own, the same topic grants', () => {
    const run = grantsOf('e2e_ab12-');
    expect(run['payments']).toContain('read group:prefixed:e2e_ab12-payments');
    expect(run['payments']).not.toContain('read group:prefixed:recert-payments');
    const topicsOnly = (g: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(g).map(([p, list]) => [p, list.filter((s) => s.includes(' topic:'))]));
    expect(topicsOnly(run)).toEqual(topicsOnly(grantsOf('recert-')));
  });

  it('names one principal per service and per upstream system, and grants no wildcard', () => {
    expect(KAFKA_PRINCIPALS).toEqual([
      'applications',
      'ceu-verification',
      'petitions',
      'payments',
      'audits',
      'gateway',
      'exam-system',
      'learning-platform',
      'provider-registry',
      'cpr-aed-providers',
      'payment-processor',
      'document-store',
      'student-portal',
    ]);
    for (const acl of kafkaAcls('recert-')) expect(acl.name).not.toMatch(/^\*?$/);
  });
});
