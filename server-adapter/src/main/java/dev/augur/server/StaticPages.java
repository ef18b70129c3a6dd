package dev.augur.server;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The pages served from the class path: the welcome page of {@code /}, Swagger UI at {@code /docs}
 * and the web page's files under {@code /ui/}. They are open, like any static file.
 */
final class StaticPages {
  private static final String SWAGGER_ROOT = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEB_ROOT = "dev/augur/server/web/";
  private static final String SWAGGER_PAGE =
      """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Augur API</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <link rel="icon" type="image/png" sizes="32x32" href="/docs/favicon-32x32.png">
      <link rel="stylesheet" href="/docs/swagger-ui.css"></head>
      <body><div id="swagger-ui"></div>
      <script src="/docs/swagger-ui-bundle.js"></script>
      <script>
      window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
      </script>
      </body></html>
      """;

  private final byte[] indexHtml;
  private final ResourceHandler swagger;
  private final ResourceHandler web;

  StaticPages() {
    ClassLoader loader = StaticPages.class.getClassLoader();
    this.indexHtml = resource(loader, WEB_ROOT + "index.html");
    this.swagger =
        new ResourceHandler(
            new ClassPathResourceManager(loader, SWAGGER_ROOT + Version.SWAGGER_UI + "/"));
    this.web = new ResourceHandler(new ClassPathResourceManager(loader, WEB_ROOT));
    web.setCacheTime(300);
    swagger.setCacheTime(86_400);
  }

  /** The web page a browser gets at {@code /}. */
  void sendIndex(HttpServerExchange ex) {
    Http.sendBytes(ex, 200, "text/html; charset=utf-8", indexHtml);
  }

  /** {@code routes} with the pages in front of it. */
  HttpHandler around(HttpHandler routes) {
    return Handlers.path(routes)
        .addExactPath("/docs", tagged("/docs", this::swaggerPage))
        .addPrefixPath("/docs/", tagged("/docs/*", swagger))
        .addPrefixPath("/ui/", tagged("/ui/*", web));
  }

  private void swaggerPage(HttpServerExchange ex) {
    Http.sendText(ex, 200, "text/html; charset=utf-8", SWAGGER_PAGE);
  }

  private static HttpHandler tagged(String route, HttpHandler h) {
    return ex -> {
      ex.putAttachment(ServerMetrics.ROUTE, route);
      h.handleRequest(ex);
    };
  }

  private static byte[] resource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
