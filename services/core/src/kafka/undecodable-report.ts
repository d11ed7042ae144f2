// Types straight from kafkajs (erased at run time): client.ts imports this file, so importing it back is a cycle.
import type { ConsumerRunConfig, KafkaMessage } from 'kafkajs';
import { undecodableBatchOf, type UndecodableBatch } from './undecodable-batch.ts';

/** Where a consumer met a record batch it could not decode (undecodable-batch.ts). */
export interface UndecodableBatchSeen extends UndecodableBatch {
  topic: string;
  partition: number;
}

/**
 * The consumer's run configuration with its handler wrapped: each stand-in of an undecodable batch is reported
 * (topic, partition, offsets) before the service's own handler sees it, whichever handler the service uses.
 */
export function reportingUndecodable(
  config: ConsumerRunConfig | undefined,
  report: (seen: UndecodableBatchSeen) => void,
): ConsumerRunConfig | undefined {
  const check = (topic: string, partition: number, message: KafkaMessage) => {
    const batch = undecodableBatchOf(message.headers);
    if (batch) report({ ...batch, topic, partition });
  };
  const { eachBatch, eachMessage } = config ?? {};
  if (eachBatch) {
    return {
      ...config,
      eachBatch: async (payload) => {
        const { topic, partition, messages } = payload.batch;
        for (const message of messages) check(topic, partition, message);
        return eachBatch(payload);
      },
    };
  }
  if (eachMessage) {
    return {
      ...config,
      eachMessage: async (payload) => {
        check(payload.topic, payload.partition, payload.message);
        return eachMessage(payload);
      },
    };
  }
  return config;
}
