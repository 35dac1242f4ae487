package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BucketsTest {
  @Test
  void should_put_1024_seqs_in_each_bucket() {
    assertThat(Buckets.of(1)).isZero();
    assertThat(Buckets.of(1023)).isZero();
    assertThat(Buckets.of(1024)).isEqualTo(1);
    assertThat(Buckets.of(2047)).isEqualTo(1);
    assertThat(Buckets.of(2048)).isEqualTo(2);
  }

  @Test
  void should_know_the_bounds_of_a_bucket() {
    assertThat(Buckets.firstSeq(0)).isEqualTo(1);
    assertThat(Buckets.lastSeq(0)).isEqualTo(1023);
    assertThat(Buckets.firstSeq(3)).isEqualTo(3072);
    assertThat(Buckets.lastSeq(3)).isEqualTo(4095);
    for (long seq : new long[] {1, 1023, 1024, 5000}) {
      long bucket = Buckets.of(seq);
      assertThat(seq).isBetween(Buckets.firstSeq(bucket), Buckets.lastSeq(bucket));
    }
  }

  @Test
  void should_recognise_the_last_seq_of_a_bucket() {
    assertThat(Buckets.isLastOfBucket(1023)).isTrue();
    assertThat(Buckets.isLastOfBucket(2047)).isTrue();
    assertThat(Buckets.isLastOfBucket(1024)).isFalse();
    assertThat(Buckets.isLastOfBucket(1)).isFalse();
  }

  @Test
  void should_reject_negative_seqs() {
    assertThatThrownBy(() -> Buckets.of(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
