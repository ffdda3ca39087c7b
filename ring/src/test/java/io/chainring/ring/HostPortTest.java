package io.chainring.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1:7101, 127.0.0.1, 7101",
        "localhost:1, localhost, 1",
        "node-3.example.org:65535, node-3.example.org, 65535",
        "[::1]:7101, ::1, 7101",
        "[fe80::1%eth0]:80, fe80::1%eth0, 80",
        "'  10.0.0.2:9000 ', 10.0.0.2, 9000",
    })
    void parses(String text, String host, int port) {
        HostPort hp = HostPort.parse(text);
        assertThat(hp).isEqualTo(new HostPort(host, port));
        assertThat(HostPort.parse(hp.toString())).isEqualTo(hp);
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(new HostPort("::1", 7101)).hasToString("[::1]:7101");
        assertThat(new HostPort("h", 1)).hasToString("h:1");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "host", "host:", ":7101", "host:abc", "host:0", "host:65536", "host:-1",
        "[::1]", "host: 80", "[]:80"})
    void rejects(String text) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesLists() {
        assertThat(HostPort.parseList("a:1, b:2,,[::1]:3"))
                .containsExactly(new HostPort("a", 1), new HostPort("b", 2), new HostPort("::1", 3));
        assertThatThrownBy(() -> HostPort.parseList(" , ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no addresses");
        assertThatThrownBy(() -> HostPort.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
