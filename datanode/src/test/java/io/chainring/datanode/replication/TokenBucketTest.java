package io.chainring.datanode.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void startsWithAQuarterSecondAndRefillsAtTheRateUpToIt() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(4000, now::get);
        assertThat(bucket.available()).isEqualTo(1000);
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(bucket.available()).as("capped at a quarter second").isEqualTo(1000);
    }

    @Test
    void aLargeAcquireLeavesADebtThatIsRepaidAtTheRate() throws Exception {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(1000, now::get);
        bucket.acquire(1250); // balance 250 >= 0: taken at once
        assertThat(bucket.available()).isEqualTo(-1000);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(bucket.available()).isEqualTo(-500);
    }

    @Test
    void closingReleasesAWaiterAtOnce() throws Exception {
        TokenBucket bucket = new TokenBucket(1);
        bucket.acquire(1_000_000); // a debt of about eleven days at this rate
        java.util.concurrent.CompletableFuture<Void> waiter = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                bucket.acquire(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        org.assertj.core.api.Assertions.assertThat(waiter).isNotDone();
        bucket.close();
        waiter.get(5, java.util.concurrent.TimeUnit.SECONDS);
        org.assertj.core.api.Assertions.assertThat(bucket.isClosed()).isTrue();
    }

    @Test
    void unlimitedNeverWaitsAndChunksAreAQuarterSecondOfTheRate() throws Exception {
        TokenBucket bucket = new TokenBucket(0);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            bucket.acquire(1 << 20);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        assertThat(bucket.chunkBytes(4096, 1 << 20)).isEqualTo(1 << 20);
        bucket.setRate(400_000);
        assertThat(bucket.chunkBytes(4096, 1 << 20)).isEqualTo(100_000);
        bucket.setRate(1000);
        assertThat(bucket.chunkBytes(4096, 1 << 20)).isEqualTo(4096);
        assertThatThrownBy(() -> bucket.setRate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsSharingTheBucketTogetherKeepTheRate() throws Exception {
        TokenBucket bucket = new TokenBucket(400_000);
        long start = System.nanoTime();
        CompletableFuture<?>[] pulls = new CompletableFuture<?>[2];
        for (int t = 0; t < pulls.length; t++) {
            pulls[t] = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 25; i++) {
                    acquire(bucket, 10_000);
                }
            });
        }
        CompletableFuture.allOf(pulls).get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // 500 000 bytes, 100 000 of them from the initial burst, the rest at 400 000/s: about 1 s
        assertThat(millis).isBetween(850L, 6000L);
    }

    @Test
    void aLoweredRateTakesEffectForACallerAlreadyWaitingAndARaisedOneReleasesIt() throws Exception {
        TokenBucket bucket = new TokenBucket(1_000_000);
        bucket.acquire(2_250_000); // about 2 s of debt at 1 MB/s
        bucket.setRate(100); // now 20 000 s of debt
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> acquire(bucket, 1));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        bucket.setRate(0);
        waiting.get(1, TimeUnit.SECONDS);
    }

    private static void acquire(TokenBucket bucket, long bytes) {
        try {
            bucket.acquire(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
