package io.chainring.datanode.storage;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One partition's part of a batch applied in one transaction ({@link PartitionStore#applyInOrder(List)}):
 * its chain writes in LSN order, which stored records they may override, and who observes them.
 */
public record ChainApply(PartitionStore store, List<ChainWrite> writes, Predicate<byte[]> override, WriteObserver observer) {
    public ChainApply {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(override, "override");
        Objects.requireNonNull(observer, "observer");
    }
}
