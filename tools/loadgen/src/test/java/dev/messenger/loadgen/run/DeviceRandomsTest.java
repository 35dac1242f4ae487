package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceRandomsTest {
  @Test
  void should_give_a_ramp_of_devices_independent_first_picks_between_two_servers() {
    DeviceRandoms randoms = new DeviceRandoms(42, "ir5bih");
    int onFirst = 0;
    for (int device = 0; device < 500; device++) {
      onFirst += randoms.forDevice(device).nextInt(2) == 0 ? 1 : 0;
    }
    // A fair coin 500 times: 250 +- 50 is beyond four standard deviations (11.2) of chance.
    assertThat(onFirst).isBetween(200, 300);
  }

  @Test
  void should_repeat_the_same_draws_for_the_same_run_and_device() {
    Random first = new DeviceRandoms(7, "run").forDevice(12);
    Random again = new DeviceRandoms(7, "run").forDevice(12);
    assertThat(first.nextLong()).isEqualTo(again.nextLong());
    assertThat(new DeviceRandoms(7, "run").forDevice(13).nextLong())
        .isNotEqualTo(new DeviceRandoms(7, "run").forDevice(12).nextLong());
  }
}
