/** Shared test support: the real test database, builders, the SSH test fleet. */
package io.popfleet.testing;
