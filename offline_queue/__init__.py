"""The kiosk's offline queue and its sync with the district server (ARCHITECTURE.md section 5).

Nothing captured is lost, nothing is delivered twice, and the kiosk cannot read what it
captured. The pieces, each in its own module:

- `store.Outbox`: SQLite (WAL, synchronous=FULL): one transaction records the item, its
  sealed blobs (`blobstore.BlobStore`, which also reads an earlier release's blob files),
  its blob references and `kiosk_seq`;
- `sink.OutboxSink`: the kiosk's `EventSink`: validates against wire.v1, seals payload and
  attachments with HPKE to the district key (`seal`), commits, returns the case number;
- `sync.SyncWorker`: health probe, receipts reconciliation, blobs then idempotent PUT,
  delivery only on a verified receipt, classified errors, backoff with full jitter on the
  kiosk clock, desired state (`desired_state`), reported state deltas, purge;
- `transport.SignedTransport`: signed HTTP (Ed25519, wire headers, certificate pinning),
  also used by offline_queue/citizen.py;
- `identity` / `enrolment`: the kiosk key and the district keys (`kiosk enroll`);
- `service.QueueService`: the composition the kiosk app and `kiosk queue` use;
- `crashpoints`: KIOSK_CRASH_AT kill points for the crash test;
- `testing/`: the fault-injecting proxy, stand-in district keys, fuzz entry points.
"""
