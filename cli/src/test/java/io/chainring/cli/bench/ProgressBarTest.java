package io.chainring.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void withoutATerminalItPrintsALineAtEveryTenth() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), false, 1000, "records");
        for (int done = 0; done <= 1000; done += 25) {
            bar.update(done);
        }
        bar.finish(1000);
        assertThat(s.toString().lines()).hasSize(11).first().isEqualTo("loading: 0% (0/1,000 records)");
        assertThat(s.toString().lines()).last().isEqualTo("loading: 100% (1,000/1,000 records)");
        assertThat(s.toString()).doesNotContain("\r");
    }

    @Test
    void onATerminalItRedrawsOneLine() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), true, 200, "records");
        bar.update(100);
        bar.finish(200);
        assertThat(s.toString()).startsWith("\rloading [###############---------------]  50% 100/200 records")
                .contains("\rloading [##############################] 100% 200/200 records").endsWith(System.lineSeparator());
    }
}
