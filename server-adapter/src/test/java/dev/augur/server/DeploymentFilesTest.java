package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files hold what they must: the Kubernetes manifests and the compose file parse and
 * carry their essentials, and the Dockerfile's runtime stage, run as a script against a local
 * build, serves its health check and drains on SIGTERM.
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
    assertThat(k).containsKeys("Deployment", "Service", "HorizontalPodAutoscaler", "Secret");
    Map<String, Object> pod =
        map(map(map(k.get("Deployment").get("spec")).get("template")).get("spec"));
    Map<String, Object> c = map(list(pod.get("containers")).get(0));
    assertThat(map(map(c.get("livenessProbe")).get("httpGet")).get("path"))
        .isEqualTo("/health/live");
    assertThat(map(map(c.get("readinessProbe")).get("httpGet")).get("path"))
        .isEqualTo("/health/ready");
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
    String secret = (String) map(k.get("Secret").get("metadata")).get("name");
    assertThat(map(k.get("Secret").get("stringData")))
        .containsKeys("DATABASE_URL", "AUGUR_API_KEY");
    assertThat(list(c.get("envFrom")))
        .anySatisfy(e -> assertThat(map(map(e).get("secretRef")).get("name")).isEqualTo(secret));
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

    // ENV of the runtime stage, mapped from the image's paths to this checkout's
    Map<String, String> env = new LinkedHashMap<>();
    Matcher envBlock = Pattern.compile("(?ms)^ENV (.*?)(?=^\\S)").matcher(dockerfile);
    assertThat(envBlock.find()).isTrue();
    for (Matcher kv = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(envBlock.group(1));
        kv.find(); ) {
      env.put(kv.group(1), kv.group(2).replace("\"", ""));
    }
    assertThat(env).containsKeys("PORT", "AUGUR_MODELS", "AUGUR_DATA_DIR");
    env.put("PORT", Integer.toString(ChildServer.freePort()));
    env.put("AUGUR_MODELS", ROOT.resolve("samples/models").toString());
    env.put("AUGUR_DATA_DIR", dir.resolve("data").toString());
    env.remove("JAVA_TOOL_OPTIONS");
    try (ChildServer server = ChildServer.start(dir.resolve("container.log"), env)) {
      List<String> check = new ArrayList<>(List.of("sh", "-c", health.group(1).replace("\\", "")));
      ProcessBuilder curl = new ProcessBuilder(check).redirectErrorStream(true);
      curl.environment().put("PORT", env.get("PORT"));
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
  }
}
