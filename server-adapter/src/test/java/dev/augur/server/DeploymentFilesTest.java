package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files hold what they must: the Kubernetes manifests and the compose file parse and
 * carry their essentials, and the Dockerfile's runtime stage, run as a script against a local
 * build, extracts the engines' natives at build time (outside the data volume), serves its health
 * check and drains on SIGTERM.
 */
class DeploymentFilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static Map<String, Map<String, Object>> kubernetes() throws Exception {
    Map<String, Map<String, Object>> byKind = new HashMap<>();
    try (var files = Files.list(ROOT.resolve("deploy/k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(f))) {
          Map<String, Object> m = map(doc);
          byKind.put((String) m.get("kind"), m);
        }
      }
    }
    return byKind;
  }

  @Test
  void kubernetesManifestsHaveProbesResourcesGraceAutoscalingAndSecrets() throws Exception {
    Map<String, Map<String, Object>> k = kubernetes();
    assertThat(k).containsKeys("Deployment", "Service", "HorizontalPodAutoscaler", "PodMonitor");
    // no Secret with a placeholder key that could be applied as is (security review L6): the
    // operator creates it, with a generated key, as docs/deploy.md says
    assertThat(k).doesNotContainKey("Secret");
    Map<String, Object> pod =
        map(map(map(k.get("Deployment").get("spec")).get("template")).get("spec"));
    Map<String, Object> c = map(list(pod.get("containers")).get(0));
    assertThat(map(map(c.get("livenessProbe")).get("httpGet")).get("path"))
        .isEqualTo("/health/live");
    assertThat(map(map(c.get("readinessProbe")).get("httpGet")).get("path"))
        .isEqualTo("/health/ready");
    // the probes go to the probe port, which a flood of the API port does not slow down
    Map<String, Object> probes =
        list(c.get("ports")).stream()
            .map(DeploymentFilesTest::map)
            .filter(p -> "probes".equals(p.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("a container port named probes"));
    assertThat(list(c.get("env")))
        .anySatisfy(
            e ->
                assertThat(map(e))
                    .containsEntry("name", "AUGUR_PROBE_PORT")
                    .containsEntry("value", String.valueOf(probes.get("containerPort"))));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(map(map(c.get(probe)).get("httpGet")).get("port")).as(probe).isEqualTo("probes");
    }
    Map<String, Object> res = map(c.get("resources"));
    assertThat(map(res.get("requests"))).containsKeys("cpu", "memory");
    assertThat(map(res.get("limits"))).containsKeys("cpu", "memory");
    int drain = 20;
    for (Object e : list(c.get("env"))) {
      if ("AUGUR_DRAIN_SECONDS".equals(map(e).get("name"))) {
        drain = Integer.parseInt((String) map(e).get("value"));
      }
    }
    assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
        .as("longer than the drain time")
        .isGreaterThan(drain + 5);
    String secret = "augur";
    assertThat(list(c.get("envFrom")))
        .anySatisfy(e -> assertThat(map(map(e).get("secretRef")).get("name")).isEqualTo(secret));
    String deploy = Files.readString(ROOT.resolve("docs/deploy.md"));
    assertThat(deploy)
        .contains("kubectl create secret generic " + secret)
        .contains("--from-literal=DATABASE_URL=")
        .contains("--from-literal=AUGUR_API_KEY=\"$(openssl rand -hex");
    Map<String, Object> labels =
        map(
            map(map(map(k.get("Deployment").get("spec")).get("template")).get("metadata"))
                .get("labels"));
    assertThat(labels).containsAllEntriesOf(map(map(k.get("Service").get("spec")).get("selector")));
    Map<String, Object> target =
        map(map(k.get("HorizontalPodAutoscaler").get("spec")).get("scaleTargetRef"));
    assertThat(target)
        .containsEntry("kind", "Deployment")
        .containsEntry("name", map(k.get("Deployment").get("metadata")).get("name"));
    assertThat(k.toString())
        .doesNotContain("kind=StatefulSet")
        .as("PostgreSQL is referenced, not bundled");

    // the Prometheus Operator scrapes the pods with the key of the same Secret
    Map<String, Object> monitor = map(k.get("PodMonitor").get("spec"));
    assertThat(map(map(monitor.get("selector")).get("matchLabels"))).isEqualTo(labels);
    Map<String, Object> endpoint = map(list(monitor.get("podMetricsEndpoints")).get(0));
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    assertThat(list(c.get("ports")))
        .anySatisfy(p -> assertThat(map(p)).containsEntry("name", "http"));
    assertThat(map(map(endpoint.get("authorization")).get("credentials")))
        .containsEntry("name", secret)
        .containsEntry("key", "AUGUR_API_KEY");
  }

  @Test
  void composeRunsAugurOnPostgresOnceItIsHealthy() throws Exception {
    Map<String, Object> compose =
        map(new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml"))));
    Map<String, Object> services = map(compose.get("services"));
    Map<String, Object> augur = map(services.get("augur"));
    Map<String, Object> pg = map(services.get("postgres"));
    assertThat(map(map(augur.get("depends_on")).get("postgres")))
        .containsEntry("condition", "service_healthy");
    assertThat(map(augur.get("environment")).get("DATABASE_URL").toString())
        .startsWith("postgres://")
        .contains("@postgres:5432/");
    assertThat(pg).containsKey("healthcheck");
    assertThat(map(compose.get("volumes"))).containsKeys("pgdata");
    assertThat(list(pg.get("volumes")).get(0).toString()).startsWith("pgdata:");
  }

  @Test
  void composePassesTheKeyAsASecretFileNotAsAnEnvironmentValue() throws Exception {
    Map<String, Object> compose =
        map(new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml"))));
    Map<String, Object> augur = map(map(compose.get("services")).get("augur"));
    Map<String, Object> env = map(augur.get("environment"));
    assertThat(env).doesNotContainKey("AUGUR_API_KEY");
    assertThat(list(augur.get("secrets"))).hasSize(1);
    String secret = list(augur.get("secrets")).get(0).toString();
    assertThat(env).containsEntry("AUGUR_API_KEY_FILE", "/run/secrets/" + secret);
    assertThat(map(compose.get("secrets"))).containsKey(secret);
    assertThat(map(map(compose.get("secrets")).get(secret)))
        .as("taken from the host's environment, with no default")
        .containsEntry("environment", "AUGUR_API_KEY");
  }

  @Test
  void theDockerfilesRuntimeStageServesItsHealthCheckAndDrainsOnSigterm() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count())
        .as("multi-stage")
        .isEqualTo(2);
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
    assertThat(user.find()).isTrue();
    assertThat(user.group(1)).isNotIn("root", "0");
    Matcher entry = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])").matcher(dockerfile);
    assertThat(entry.find()).as("exec form, so SIGTERM reaches the JVM").isTrue();
    Matcher health = Pattern.compile("(?m)^\\s*CMD (curl .*?) \\|\\| exit 1").matcher(dockerfile);
    assertThat(health.find()).isTrue();
    assertThat(health.group(1)).contains("/health/live");

    // the AOT cache: trained as the server's user by a run that exits after its warm-up, and the
    // runtime's options load the file that run writes
    Matcher train =
        Pattern.compile(
                "(?m)^RUN java -XX:AOTCacheOutput=(\\S+) -jar /opt/augur/augur-server\\.jar"
                    + " \\\\\n\\s+(.+)$")
            .matcher(dockerfile);
    assertThat(train.find()).as("a training run for the AOT cache").isTrue();
    assertThat(train.start()).as("run as the server's user").isGreaterThan(user.start());
    assertThat(train.group(2)).contains("--exit-after-warm-up");
    Matcher runtimeOptions =
        Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(runtimeOptions.find()).as("the runtime's JVM options after training").isTrue();
    assertThat(runtimeOptions.start()).isGreaterThan(train.start());
    assertThat(runtimeOptions.group(1)).contains("-XX:AOTCache=" + train.group(1));

    // ENV of the runtime stage, mapped from the image's paths to this checkout's
    Map<String, String> env = new LinkedHashMap<>();
    Matcher envBlock = Pattern.compile("(?ms)^ENV (.*?)(?=^\\S)").matcher(dockerfile);
    assertThat(envBlock.find()).isTrue();
    for (Matcher kv = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(envBlock.group(1));
        kv.find(); ) {
      env.put(kv.group(1), kv.group(2).replace("\"", ""));
    }
    assertThat(env)
        .containsKeys(
            "PORT", "AUGUR_PROBE_PORT", "AUGUR_MODELS", "AUGUR_DATA_DIR", "DJL_CACHE_DIR");
    assertThat(health.group(1))
        .as("the health check asks the probe port")
        .contains("AUGUR_PROBE_PORT");
    assertThat(env.get("DJL_CACHE_DIR"))
        .as("the engines' natives live in the image, not in the history volume")
        .doesNotStartWith(env.get("AUGUR_DATA_DIR"));
    env.put("PORT", Integer.toString(ChildServer.freePort()));
    env.put("AUGUR_PROBE_PORT", Integer.toString(ChildServer.freePort()));
    env.put("AUGUR_MODELS", ROOT.resolve("samples/models").toString());
    Path data = dir.resolve("data");
    env.put("AUGUR_DATA_DIR", data.toString());
    Path cache = dir.resolve("djl");
    env.put("DJL_CACHE_DIR", cache.toString());
    env.remove("JAVA_TOOL_OPTIONS");

    // the image build extracts the natives: the RUN after USER, as that user, with the stage's ENV
    Matcher build =
        Pattern.compile("(?m)^RUN java -jar /opt/augur/augur-server\\.jar (.+)$")
            .matcher(dockerfile);
    assertThat(build.find()).as("a RUN that extracts the natives at image build").isTrue();
    assertThat(build.start()).as("run as the server's user").isGreaterThan(user.start());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(build.group(1).trim().split("\\s+")));
    ProcessBuilder image =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("build.log").toFile());
    image.environment().putAll(env);
    Process step = image.start();
    assertThat(step.waitFor(300, TimeUnit.SECONDS)).as("the image's build step ends").isTrue();
    assertThat(step.exitValue())
        .as("the build step succeeds: %s", Files.readString(dir.resolve("build.log")))
        .isZero();
    List<Path> natives = files(cache);
    assertThat(natives)
        .as("libtorch extracted at image build")
        .anySatisfy(f -> assertThat(f.getFileName().toString()).isEqualTo("libtorch_cpu.so"));

    // the server's user has its home in /data, as the image's augur user does
    env.put("JAVA_TOOL_OPTIONS", "-Duser.home=" + data);
    try (ChildServer server = ChildServer.start(dir.resolve("container.log"), env)) {
      List<String> check = new ArrayList<>(List.of("sh", "-c", health.group(1).replace("\\", "")));
      ProcessBuilder curl = new ProcessBuilder(check).redirectErrorStream(true);
      curl.environment().put("PORT", env.get("PORT"));
      curl.environment().put("AUGUR_PROBE_PORT", env.get("AUGUR_PROBE_PORT"));
      Process p = curl.start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("the HEALTHCHECK command succeeds").isZero();
      server.terminate();
      assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String log = server.finalLog();
      assertThat(log).contains("shutting down").contains("stopped");
      assertThat(Files.exists(dir.resolve("data/history.db")))
          .as("history in the data volume")
          .isTrue();
    }
    assertThat(files(cache)).as("nothing extracted again at start").isEqualTo(natives);
    assertThat(files(data))
        .as("only the history in the data volume")
        .allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("history.db"));
  }

  /**
   * docs/deploy.md's scrape jobs pass {@code promtool check config}, and Prometheus (Debian's
   * {@code prometheus} package) running the first one scrapes a server that has a key.
   */
  @Test
  void theDocumentedScrapeJobsSendTheKeyFromAFile() throws Exception {
    Path prometheus = Path.of("/usr/bin/prometheus");
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(prometheus) || !Files.isExecutable(promtool)) {
      String why = "prometheus is not installed (Debian package prometheus; .ci/run installs it)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      System.err.println("SKIPPED: " + why);
      Assumptions.abort(why);
    }
    String doc = Files.readString(ROOT.resolve("docs/deploy.md"));
    int from = doc.indexOf("\n## Scraping metrics");
    assertThat(from).as("docs/deploy.md has a section on scraping metrics").isPositive();
    String section = doc.substring(from, doc.indexOf("\n## ", from + 1));
    List<String> jobs = new ArrayList<>();
    for (Matcher m = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(section); m.find(); ) {
      jobs.add(m.group(1));
    }
    assertThat(jobs).as("the scrape job").hasSize(1);
    Path key = Files.writeString(dir.resolve("augur-api-key"), "s3cret\n");
    Pattern credentials = Pattern.compile("credentials_file: \\S+");
    for (String job : jobs) {
      assertThat(credentials.matcher(job).find()).as("the key from a file:%n%s", job).isTrue();
      Path file =
          Files.writeString(
              dir.resolve("job.yml"),
              credentials.matcher(job).replaceAll("credentials_file: " + key));
      Process check =
          new ProcessBuilder(promtool.toString(), "check", "config", file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(check.getInputStream().readAllBytes());
      assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(check.exitValue()).as("promtool check config:%n%s%n%s", job, out).isZero();
    }

    Path home = Files.createDirectories(dir.resolve("server"));
    try (Running augur = Running.start(home, b -> b.apiKey("s3cret"))) {
      assertThat(augur.get("/metrics").status()).as("/metrics needs the key").isEqualTo(401);
      int web = ChildServer.freePort();
      Path config =
          Files.writeString(
              dir.resolve("prometheus.yml"),
              credentials
                  .matcher(jobs.get(0))
                  .replaceAll("credentials_file: " + key)
                  .replaceAll("scrape_interval: \\S+", "scrape_interval: 1s")
                  .replace("augur:8080", augur.uri("/").getAuthority()));
      Process server =
          new ProcessBuilder(
                  prometheus.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + web)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        URI targets = URI.create("http://127.0.0.1:" + web + "/api/v1/targets");
        String last = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!last.contains("\"health\":\"up\"") && System.nanoTime() < deadline) {
          assertThat(server.isAlive())
              .as("prometheus runs: %s", Files.readString(dir.resolve("prometheus.log")))
              .isTrue();
          try {
            last =
                augur
                    .http
                    .send(HttpRequest.newBuilder(targets).build(), BodyHandlers.ofString())
                    .body();
          } catch (java.io.IOException notYetListening) {
            last = notYetListening.toString();
          }
          if (!last.contains("\"health\":\"up\"")) {
            Thread.sleep(200); // polling Prometheus, bounded by the deadline
          }
        }
        assertThat(last).as("the target's state").contains("\"health\":\"up\"");
      } finally {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Every regular file under a folder, sorted. */
  static List<Path> files(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
