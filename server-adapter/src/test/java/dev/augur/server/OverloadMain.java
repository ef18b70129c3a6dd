package dev.augur.server;

import java.time.Duration;

/**
 * The flood of {@code bench/overload.sh} against a running server on loopback. Arguments: port,
 * connections, seconds, path, the JSON body to post and, optionally, the server's probe port.
 * Prints {@link Overload.Result#summary()}; exits 1 when a status other than 200 and 503, a 503
 * without {@code Retry-After}, or a failed liveness probe was seen.
 */
public final class OverloadMain {
  private OverloadMain() {}

  /** Runs the flood. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int connections = Integer.parseInt(args[1]);
    Duration duration = Duration.ofSeconds(Long.parseLong(args[2]));
    int probePort = args.length > 5 ? Integer.parseInt(args[5]) : -1;
    Overload.Result r = Overload.run(port, probePort, connections, duration, args[3], args[4]);
    System.out.println(r.summary());
    r.errorSamples().forEach(s -> System.out.println("  " + s));
    boolean ok =
        r.others().isEmpty()
            && r.shedWithoutRetryAfter() == 0
            && r.liveFailures() == 0
            && r.probePortFailures() == 0;
    System.exit(ok ? 0 : 1);
  }
}
