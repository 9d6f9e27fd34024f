import { Admin } from 'kafkajs';

export interface TopicEnd {
  partition: number;
  high: string;
  low: string;
}

const RETRY_FOR_MS = 30_000;

/**
 * Where each partition of `topic` begins and ends now. kafkajs's `fetchTopicOffsets` retries only
 * an unknown topic; a partition whose leadership is moving (a topic just created, a broker just
 * restarted: "not the leader for that topic-partition") bails at once. Those errors say "ask
 * again", so this asks again, with fresh metadata, for up to 30 s.
 */
export async function fetchTopicEnds(admin: Admin, topic: string, retryForMs = RETRY_FOR_MS): Promise<TopicEnd[]> {
  return askAgainWhileLeadershipMoves(admin, [topic], retryForMs, () => admin.fetchTopicOffsets(topic));
}

/** Where each partition of a topic ends now: the offset its next message will get. */
export interface PartitionEnd {
  partition: number;
  high: string;
}

/**
 * The ends of several topics at once, in one request per broker (our kafkajs patch's
 * `fetchTopicsEnds`; `fetchTopicOffsets` asks twice a topic, for the start too). Asked again as
 * fetchTopicEnds does while leadership moves.
 */
export async function fetchTopicsEnds(
  admin: Admin,
  topics: readonly string[],
  retryForMs = RETRY_FOR_MS,
): Promise<Map<string, PartitionEnd[]>> {
  const ends = await askAgainWhileLeadershipMoves(admin, topics, retryForMs, () =>
    admin.fetchTopicsEnds([...topics]),
  );
  return new Map(ends.map(({ topic, partitions }) => [topic, partitions]));
}

/** Runs `read`, and again with fresh metadata while its error is retriable, for up to `retryForMs`. */
async function askAgainWhileLeadershipMoves<T>(
  admin: Admin,
  topics: readonly string[],
  retryForMs: number,
  read: () => Promise<T>,
): Promise<T> {
  // Elapsed time, not the domain's: a monotonic timer, not the clock.
  const giveUpAt = performance.now() + retryForMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || performance.now() >= giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
      await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
    }
  }
}
