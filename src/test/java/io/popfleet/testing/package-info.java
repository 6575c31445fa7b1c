/**
 * Shared test support: the real test database, the SSH test fleet and its registration in the inventory
 * ({@link io.popfleet.testing.FleetRegistration}), builders ({@link io.popfleet.testing.NodeBuilder#aNode()},
 * {@link io.popfleet.testing.RunRequests}), asserts for runs and targets
 * ({@link io.popfleet.testing.FleetAssertions}) and waits on conditions ({@link io.popfleet.testing.RunWaits}).
 */
package io.popfleet.testing;
