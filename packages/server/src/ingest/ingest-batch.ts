import type { InsertOutcome, NewEvent } from '../storage/event-store.js';
import type { CommittedEvent, IngestPipeline, IngestUnit, StepResult } from './pipeline.js';

/** What a storage engine gives a batch, inside its transaction. */
export interface BatchRows {
  /** True when this source's messageId is stored, by an earlier batch or earlier in this one. */
  isStored(event: NewEvent): boolean;
  /** Writes the event's row, with the profile the steps attached it to. */
  writeEvent(event: NewEvent, profileId: number | null): void;
}

/**
 * What happens to each event of a batch, whichever engine stores it: a duplicate messageId stops it
 * at once; the pipeline's gates decide whether it is stored; its steps run (identity resolution
 * answers the profile); then its row is written, profile and all, and an event.stored change
 * recorded; once every event is written, the change sink acts on what they gathered (audiences).
 * The caller runs it inside the batch's transaction, and the pipeline's after-commit hooks after.
 */
export function runIngestBatch(
  events: readonly NewEvent[],
  pipeline: IngestPipeline,
  unit: IngestUnit,
  rows: BatchRows,
): CommittedEvent[] {
  const committed: CommittedEvent[] = new Array(events.length);
  unit.changes.beginUnit();
  for (const gate of pipeline.gates) gate.begin(unit);
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent;
    let outcome: InsertOutcome;
    let contactId: string | undefined;
    // A batch may carry one messageId twice: the second finds the first's row, as a retry would.
    if (rows.isStored(event)) outcome = 'duplicate';
    else if (!pipeline.gates.every((gate) => gate.admit(event, unit))) outcome = 'discarded';
    else {
      contactId = storeOne(event, pipeline, unit, rows).contactId;
      outcome = 'inserted';
    }
    committed[i] = { event, outcome, contactId };
  }
  unit.changes.endUnit();
  return committed;
}

function storeOne(event: NewEvent, pipeline: IngestPipeline, unit: IngestUnit, rows: BatchRows): StepResult {
  unit.changes.beginEvent();
  let found: StepResult = {};
  for (const step of pipeline.steps) {
    const result = step.apply(event, unit);
    if (result.profileId !== undefined) found = result;
  }
  rows.writeEvent(event, found.profileId ?? null);
  unit.changes.record({
    type: 'event.stored',
    profileId: found.profileId ?? null,
    contactId: found.contactId ?? null,
    data: {
      messageId: event.messageId,
      source: event.source,
      type: event.type,
      name: event.event,
      contactId: found.contactId ?? null,
    },
    event: { type: event.type, name: event.event, timestamp: event.timestamp, properties: event.fields.properties },
  });
  return found;
}
