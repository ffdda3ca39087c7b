// Chainring wire protocol (DESIGN §8).
//
// One port per datanode with a TMultiplexedProcessor carrying the services "kv",
// "replication" and "node-admin"; the controller serves "controller-admin".
// Framed transport, binary protocol; every server sets a maximum frame size.
//
// Compatibility rules: fields are only ever added (optional, with a new id), never
// renumbered or removed; error codes are stable and never reused.
//
// Regenerate the Java with thrift/generate.sh (pinned compiler 0.17.0).

namespace java io.chainring.thrift

// ---------------------------------------------------------------- cluster model

enum NodeState {
  NEW = 1,              // registered, not yet part of the ring
  JOINING = 2,          // receiving partitions
  ACTIVE = 3,           // serving its share
  DECOMMISSIONING = 4,  // draining its partitions away
  REMOVED = 5           // holds nothing; may be forgotten
}

enum ReadLevel {
  LINEARIZABLE = 1,
  MAJORITY = 2,
  ONE = 3
}

enum WriteAck {
  ALL = 1,
  MAJORITY = 2,
  ONE = 3
}

struct TNode {
  1: required string id,
  2: required string host,
  3: required i32 port,
  4: optional string zone,
  5: optional NodeState state
}

/**
 * One partition's chain, head first, and the ring epoch at which that chain (or its learners)
 * last changed. Learners are catching-up replicas behind the tail: they receive the tail's
 * snapshot and live stream, are not counted for acks and serve no reads.
 */
struct TPartition {
  1: required i32 id,
  2: required list<string> chain,
  3: required i64 changedAt,
  4: optional list<string> learners
}

/** The versioned ring (DESIGN §4): stored Thrift-compact encoded in ZooKeeper at <cluster>/ring. */
struct TRing {
  1: required string cluster,
  2: required i64 epoch,
  3: required i32 partitionCount,
  4: required i32 replication,
  5: required list<TNode> nodes,
  6: required list<TPartition> partitions,
  /** Writes are refused (Unavailable) while a chain is shorter than this; absent = 2 when R >= 3, else 1. */
  7: optional i32 minChainForWrites
}

// ---------------------------------------------------------------- errors

/** Stable error codes; clients classify them into retry-after-refresh, retry-elsewhere, give-up. */
enum ErrorCode {
  INVALID_REQUEST = 1,   // the request itself is wrong (size limits, bad arguments): give up
  STALE_ROUTING = 2,     // the caller's ring is older than the partition's: refresh, retry
  NOT_SERVING = 3,       // the node is not serving (ZooKeeper disconnected, starting, stopping): retry elsewhere
  VERSION_MISMATCH = 4,  // compare-and-set precondition failed: give up (the caller decides)
  UNAVAILABLE = 5,       // too few replicas / partition has no chain: retry later
  NOT_LEADER = 6,        // controller admin call reached a follower: retry on the leader
  INTERNAL = 7,          // unexpected server error; the operation may or may not have applied
  NOT_FOUND = 8,         // an admin call named something that does not exist (unknown node, ...)
  UNAUTHORIZED = 9,      // an admin change without the right admin token: give up
  CONFLICT = 10,         // an admin change conflicts with the cluster's state (a plan runs, the ring moved on)
  OUTCOME_UNKNOWN = 11   // a write applied at the head whose ack level was not reached: it may commit or be lost; read to find out
}

exception InvalidRequest {
  1: required ErrorCode code = ErrorCode.INVALID_REQUEST,
  2: required string message
}

/** The caller's routing is stale. Carries the node's current ring so the caller can fix itself. */
exception StaleRouting {
  1: required ErrorCode code = ErrorCode.STALE_ROUTING,
  2: required string message,
  3: required i64 currentEpoch,
  4: optional TRing ring
}

exception NotServing {
  1: required ErrorCode code = ErrorCode.NOT_SERVING,
  2: required string message
}

/** A compare-and-set saw another version; actualVersion is 0 when the key is absent. */
exception VersionMismatch {
  1: required ErrorCode code = ErrorCode.VERSION_MISMATCH,
  2: required string message,
  3: required i64 actualVersion
}

/**
 * A write the head applied, as version, whose ack level was not reached: not in time, or not
 * before the head lost its place in the chain. It may still commit, or be lost with the chain;
 * read the key to find out (do not blindly retry). Bugs are not this: they travel as Thrift
 * application errors (INTERNAL_ERROR).
 */
exception OutcomeUnknown {
  1: required ErrorCode code = ErrorCode.OUTCOME_UNKNOWN,
  2: required string message,
  /** The version the head wrote (multiPut: the highest of the batch; 0 when none applies). */
  3: required i64 version,
  /** multiPut: every entry's version at the head, in the order of the entries sent. */
  4: optional list<i64> versions
}

exception Unavailable {
  1: required ErrorCode code = ErrorCode.UNAVAILABLE,
  2: required string message
}

/** Controller admin: this controller is not the leader; leaderAddress is host:port when known. */
exception NotLeader {
  1: required ErrorCode code = ErrorCode.NOT_LEADER,
  2: required string message,
  3: optional string leaderAddress
}

exception NotFound {
  1: required ErrorCode code = ErrorCode.NOT_FOUND,
  2: required string message
}

/**
 * Controller admin: a state-changing call without the controller's admin token. Datanode internal
 * services (replication, node-admin snapshot): the connection is not authenticated as a cluster
 * member, or a request names another node than the one the connection authenticated as.
 */
exception Unauthorized {
  1: required ErrorCode code = ErrorCode.UNAUTHORIZED,
  2: required string message
}

/** Controller admin: the change cannot be made in the cluster's current state; the message says why. */
exception Conflict {
  1: required ErrorCode code = ErrorCode.CONFLICT,
  2: required string message
}

// ---------------------------------------------------------------- kv (client operations)

/** Every response carries the answering node's ring epoch, so clients learn of changes without errors. */
struct GetResult {
  1: required bool found,
  2: optional binary value,
  3: required i64 version,        // when not found: the tombstone's version, or 0 if the key never existed
  4: required i64 ringEpoch
}

struct PutResult {
  1: required i64 version,
  2: required i64 ringEpoch
}

struct RemoveResult {
  1: required bool existed,
  2: required i64 version,        // version of the tombstone, 0 when nothing existed
  3: required i64 ringEpoch
}

struct KeyValue {
  1: required binary key,
  2: required binary value
}

struct MultiGetResult {
  1: required list<GetResult> results,   // same order as the keys asked
  2: required i64 ringEpoch
}

struct MultiPutResult {
  1: required list<i64> versions,        // same order as the entries sent
  2: required i64 ringEpoch
}

struct VersionedEntry {
  1: required binary key,
  2: required binary value,
  3: required i64 version
}

struct ScanResult {
  1: required list<VersionedEntry> entries,  // key order (unsigned bytes)
  2: required bool done,                     // no more keys in this partition after these
  3: required i64 ringEpoch
}

service KvService {
  /** The node's current ring; how clients bootstrap from a seed. */
  TRing ring() throws (1: NotServing notServing),

  GetResult get(1: i64 ringEpoch, 2: binary key, 3: ReadLevel level)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable),

  PutResult put(1: i64 ringEpoch, 2: binary key, 3: binary value, 4: WriteAck ack)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable, 5: OutcomeUnknown unknown),

  RemoveResult remove(1: i64 ringEpoch, 2: binary key, 3: WriteAck ack)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable, 5: OutcomeUnknown unknown),

  /** expectedVersion 0 means the key must be absent. requestId makes a retry idempotent. */
  PutResult compareAndSet(1: i64 ringEpoch, 2: binary key, 3: binary value, 4: i64 expectedVersion,
                          5: string requestId)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable, 5: VersionMismatch mismatch,
              6: OutcomeUnknown unknown),

  /** All keys must belong to partitions this node may answer for (the client groups them). */
  MultiGetResult multiGet(1: i64 ringEpoch, 2: list<binary> keys, 3: ReadLevel level)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable),

  /** All keys must belong to partitions this node heads (the client groups them). */
  MultiPutResult multiPut(1: i64 ringEpoch, 2: list<KeyValue> entries, 3: WriteAck ack)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable, 5: OutcomeUnknown unknown),

  /** Up to limit live entries of one partition with keys strictly after startAfter (empty = from the start). */
  ScanResult scan(1: i64 ringEpoch, 2: i32 partition, 3: binary startAfter, 4: i32 limit)
      throws (1: InvalidRequest invalid, 2: StaleRouting stale, 3: NotServing notServing,
              4: Unavailable unavailable)
}

// ---------------------------------------------------------------- replication (node to node)

/** One write in the replication stream; value absent means tombstone. */
struct ReplicatedWrite {
  1: required i32 partition,
  2: required i64 lsn,
  3: required binary key,
  4: optional binary value,
  5: optional string requestId
}

/**
 * A batch from one node to its successor (or from a tail to a learner); carries every partition
 * the pair shares. An empty batch is a heartbeat: its answer carries acks and resend requests.
 */
struct ReplicateBatch {
  1: required string fromNode,
  2: required i64 ringEpoch,
  3: required list<ReplicatedWrite> writes,
  /**
   * For every partition of the stream, the highest LSN the sender knows committed (applied by
   * a tail). A replica that just joined the chain serves reads only once it applied this much.
   */
  4: optional map<i32, i64> committedLsn,
  /**
   * For every partition of the stream, the sender's applied LSN when the batch was built. A
   * receiver left below it after applying the batch has a gap even if no write showed one (its
   * predecessor holds writes it cannot resend from memory) and asks for a resend; if that does
   * not help it pulls what it lacks (catchUp).
   */
  5: optional map<i32, i64> appliedLsn
}

/** Per partition, the highest LSN applied by each node at or below the answering node. */
struct PartitionAck {
  1: required i32 partition,
  2: required map<string, i64> appliedLsn
}

/** A gap: the receiver holds partition up to appliedLsn and asks for everything after it. */
struct ResendRequest {
  1: required i32 partition,
  2: required i64 appliedLsn
}

struct ReplicateResponse {
  1: required list<PartitionAck> acks,
  2: required list<ResendRequest> resend,
  3: required i64 ringEpoch
}

struct TailReadResult {
  1: required bool found,
  2: optional binary value,
  3: required i64 version        // when not found: the tombstone's version, or 0 if the key never existed
}

/** Acks pushed upstream: from a node to its predecessor, or from a learner to the tail. */
struct AckBatch {
  1: required string fromNode,
  2: required i64 ringEpoch,
  3: required list<PartitionAck> acks
}

struct AckResponse {
  1: required i64 ringEpoch
}

/**
 * A new head's answer to its dropped predecessor: writes with an LSN at or below headFromLsn
 * reached the new chain (they commit once committedLsn reaches them); writes above it were
 * applied only at the old head and never will be (their LSNs are reused by the new head).
 */
struct HeadHandoff {
  1: required i64 ringEpoch,
  2: required i64 headFromLsn,
  3: required i64 committedLsn
}

service ReplicationService {
  /**
   * The stream. Refused whole with InvalidRequest when it carries an impossible value (a
   * committed LSN above the sender's applied LSN), with Unauthorized when fromNode is not the
   * node the connection authenticated as.
   */
  ReplicateResponse replicate(1: ReplicateBatch batch)
      throws (1: StaleRouting stale, 2: NotServing notServing, 3: InvalidRequest invalid, 4: Unauthorized unauthorized),

  /** CRAQ: a replica holding a dirty key asks the tail for the committed version. */
  TailReadResult tailGet(1: i64 ringEpoch, 2: i32 partition, 3: binary key)
      throws (1: StaleRouting stale, 2: NotServing notServing, 4: Unauthorized unauthorized),

  /**
   * Acks flowing upstream: per partition, the highest LSN applied by the sender and by each
   * node below it. Partitions for which the sender is not the receiver's successor (or learner)
   * at the receiver's ring are ignored. An ack claiming an LSN above the receiver's own applied
   * LSN (nothing below it can hold more than passed through it) is refused with InvalidRequest.
   */
  AckResponse ack(1: AckBatch batch)
      throws (1: StaleRouting stale, 2: NotServing notServing, 3: InvalidRequest invalid, 4: Unauthorized unauthorized),

  /**
   * Catch-up pull: up to about maxBytes of the partition's records with a version above
   * afterVersion, keys strictly after startAfter, in key order, tombstones included. Served by
   * the tail to its learners and by a chain member to its successor (a replica whose gap its
   * predecessor can no longer fill from memory). requester names the asking node.
   */
  SnapshotChunk catchUp(1: i64 ringEpoch, 2: string requester, 3: i32 partition, 4: binary startAfter,
                        5: i32 maxBytes, 6: i64 afterVersion)
      throws (1: StaleRouting stale, 2: NotServing notServing, 3: InvalidRequest invalid, 4: Unauthorized unauthorized),

  /**
   * Asked of a partition's head by a node that was its head before a ring change dropped it
   * alive (a planned move): from which LSN the new head writes and what is committed, so the
   * old head can settle the client writes still waiting on it (DESIGN §7 drop step).
   */
  HeadHandoff handoff(1: i64 ringEpoch, 2: i32 partition)
      throws (1: StaleRouting stale, 2: NotServing notServing, 4: Unauthorized unauthorized)
}

// ---------------------------------------------------------------- node-admin (stats, streaming)

struct PartitionStats {
  1: required i32 partition,
  2: required i32 position,            // 0 = head
  3: required i64 keys,
  4: required i64 lastLsn,
  5: required i64 committedLsn,
  6: required i32 inFlight,
  7: required i64 oldestInFlightMillis,
  8: optional string role,           // HEAD, MIDDLE, TAIL, LEARNER, or NONE (stored, not in the chain)
  9: optional bool caughtUp,         // learners: snapshot done and live stream without a gap
  10: optional i64 appliedLsn,
  /** Records merged by this replica's current (or last) catch-up pass, and their key+value bytes. */
  11: optional i64 catchUpKeys,
  12: optional i64 catchUpBytes,
  /** When that pass started (epoch millis); absent when the replica never caught up. */
  13: optional i64 catchUpStartedMillis,
  /** Bytes of keys and values stored for this partition (an estimate; tombstones count their key). */
  14: optional i64 dataBytes
}

struct NodeStats {
  1: required string nodeId,
  2: required string address,
  3: required i64 ringEpoch,
  4: required bool serving,
  5: required list<PartitionStats> partitions,
  6: required i64 diskBytes,
  7: required i64 uptimeMillis,
  8: required string durability,
  /** The catch-up (snapshot) stream throttle this node applies, bytes per second; 0 = unlimited. */
  9: optional i64 throttleBytesPerSecond,
  /** Bytes received by catch-up passes since the node started (all partitions). */
  10: optional i64 catchUpBytesTotal,
  /** Client requests (kv calls) answered since the node started, any outcome. */
  11: optional i64 requestsTotal,
  /** 99th percentile latency of client requests over roughly the last 10 seconds, microseconds. */
  12: optional i64 requestP99Micros,
  /** Set while the node refuses writes (at its free-disk limit, --min-free-disk): why. Reads go on. */
  13: optional string writeRefusal
}

/** Where the cluster is managed from: the controller leader's admin address (host:port), if any. */
struct ClusterInfo {
  1: required string cluster,
  2: optional string controllerAddress,
  3: required TRing ring
}

/** A piece of a partition snapshot in key order, tombstones included (value absent). */
struct SnapshotChunk {
  1: required list<ReplicatedWrite> records,
  2: required bool done,
  /** The source's applied LSN read before this chunk: every write at or below it is reflected in this and later chunks. */
  3: required i64 appliedLsn,
  /** When set, the next chunk starts after this key (a filtered chunk may end past its last record). */
  4: optional binary resumeAfter
}

service NodeAdminService {
  NodeStats stats(),
  ClusterInfo clusterInfo() throws (1: NotServing notServing),
  SnapshotChunk snapshot(1: i64 ringEpoch, 2: i32 partition, 3: binary startAfter, 4: i32 maxBytes)
      throws (1: StaleRouting stale, 2: NotServing notServing, 3: InvalidRequest invalid, 4: Unauthorized unauthorized)
}

// ---------------------------------------------------------------- controller-admin

struct NodeStatus {
  1: required TNode node,
  2: required bool live,
  3: required i32 partitions,
  4: required i32 heads,
  5: required i32 tails,
  /** Set while the node refuses writes (at its free-disk limit): why, as the node published it. */
  6: optional string writeRefusal
}

struct ClusterStatus {
  1: required string cluster,
  2: required i64 epoch,
  3: required i32 partitionCount,
  4: required i32 replication,
  5: required string controller,
  6: required list<NodeStatus> nodes
}

// ---------------------------------------------------------------- rebalancing (DESIGN §7)

enum PlanAction {
  ADD = 1,           // NEW nodes join: they receive their share
  DECOMMISSION = 2,  // live nodes drain their replicas away, then become REMOVED
  REMOVE = 3         // dead nodes are forgotten; their replicas are re-created elsewhere
}

/** One replica of one partition changing hands; fromNode absent = a replica added, toNode absent = one dropped. */
struct PlannedMove {
  1: required i32 partition,
  2: optional string fromNode,
  3: optional string toNode,
  4: required i64 estimatedKeys,
  5: required i64 estimatedBytes
}

/** One node's share of the ring before and after a plan. */
struct NodeBalance {
  1: required string node,
  2: required i32 replicasBefore,
  3: required i32 headsBefore,
  4: required i32 tailsBefore,
  5: required i32 replicasAfter,
  6: required i32 headsAfter,
  7: required i32 tailsAfter
}

/**
 * What an action would do, computed by the same planner that executes it. planId identifies
 * the plan for this ring and these nodes: executing with it fails (Conflict) if the cluster
 * changed since, so what runs is what was previewed.
 */
struct PlanPreview {
  1: required string planId,
  2: required PlanAction action,
  3: required list<string> nodes,
  4: required i64 ringEpoch,
  5: required list<PlannedMove> moves,
  6: required i64 estimatedKeys,
  7: required i64 estimatedBytes,
  8: required list<NodeBalance> balance,
  /** The fewest replica moves any plan for this change needs (the new nodes' share, or the leavers' replicas). */
  9: required i32 lowerBound
}

/** A plan's life: RUNNING → DONE, or PAUSED (no new moves start), or CANCELLING → CANCELLED. */
enum PlanState {
  RUNNING = 1,
  PAUSED = 2,
  CANCELLING = 3,
  DONE = 4,
  CANCELLED = 5
}

/** The plan being carried out (or the last one), as stored in ZooKeeper at <cluster>/plan. */
struct TPlan {
  1: required string id,
  2: required PlanAction action,
  3: required list<string> nodes,
  4: required PlanState state,
  /** Target members of every partition (index = partition id), in the planner's chain order. */
  5: required list<list<string>> targetChains,
  6: required i64 ringEpochAtStart,
  7: required i32 movesPlanned,
  8: required i64 createdMillis,
  9: optional i64 finishedMillis,
  /** Why it was re-planned, paused or cancelled, or what it waits for. */
  10: optional string note,
  11: optional i64 estimatedBytes
}

/**
 * One partition replica move (DESIGN §7), stored at <cluster>/migrations/<id>. step: "pending",
 * "join" (the target is a learner, copying), "promote" (the target is the tail, the source still
 * in the chain), "drop" (the source left), "done", "cancelled".
 */
struct TMigration {
  1: required string id,
  2: required string planId,
  3: required i32 partition,
  4: optional string fromNode,
  5: optional string toNode,
  6: required string step,
  7: required i64 keysCopied,
  8: required i64 bytesCopied,
  9: required i64 keysTotal,
  10: required i64 bytesTotal,
  11: required i64 startedMillis,
  12: required i64 updatedMillis,
  13: optional i64 finishedMillis,
  14: optional double bytesPerSecond,
  15: optional i64 etaSeconds,
  16: optional string note
}

/**
 * Running and recent moves (rebalance), the plan, the throttle (the cap on moves' copies; each
 * datanode adapts below it), and repair: its per-node budget, the chains below R and how many
 * of them have a learner copying (re-replication, which goes before moves).
 */
struct MigrationsView {
  1: required list<TMigration> running,
  2: required list<TMigration> recent,
  3: optional TPlan plan,
  4: required i64 throttleBytesPerSecond,
  5: required i32 maxMovesPerNode,
  6: optional i64 repairBytesPerSecond,
  7: optional i32 chainsBelowR,
  8: optional i32 repairsCopying
}

/**
 * Read calls are answered by any controller from ZooKeeper. State-changing calls need the
 * admin token the controllers were started with; any controller accepts them (they are
 * compare-and-set writes in ZooKeeper that the leader carries out).
 */
service ControllerAdminService {
  ClusterStatus status() throws (1: NotLeader notLeader),
  TRing ring() throws (1: NotLeader notLeader),

  /** What ADD/DECOMMISSION/REMOVE of these nodes would move; changes nothing. */
  PlanPreview previewPlan(1: PlanAction action, 2: list<string> nodes)
      throws (1: InvalidRequest invalid, 2: NotFound notFound, 3: Conflict conflict),

  /** Starts the plan; planId (from a preview) may be empty to take the planner's plan as it is now. */
  TPlan executePlan(1: string adminToken, 2: PlanAction action, 3: list<string> nodes, 4: string planId)
      throws (1: InvalidRequest invalid, 2: NotFound notFound, 3: Conflict conflict, 4: Unauthorized unauthorized),

  /** Stops starting moves and rolls back the running ones, leaving every chain valid. */
  TPlan cancelPlan(1: string adminToken) throws (1: Conflict conflict, 2: Unauthorized unauthorized),
  /** No new moves start; running ones finish. */
  TPlan pausePlan(1: string adminToken) throws (1: Conflict conflict, 2: Unauthorized unauthorized),
  TPlan resumePlan(1: string adminToken) throws (1: Conflict conflict, 2: Unauthorized unauthorized),

  MigrationsView migrations(),

  /** Sets the per-node catch-up stream throttle (bytes/s, 0 = unlimited); returns the value set. */
  i64 setThrottle(1: string adminToken, 2: i64 bytesPerSecond)
      throws (1: InvalidRequest invalid, 2: Unauthorized unauthorized)
}
