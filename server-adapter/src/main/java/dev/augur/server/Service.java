package dev.augur.server;

/**
 * One area of the HTTP API (predictions, history, charts, a protocol…): it adds its own routes to
 * the {@link Router}, as a Helidon {@code HttpService} does. Areas share {@link Calls} and never
 * call into one another.
 */
interface Service {
  /** Adds this area's routes. */
  void register(Router router);
}
