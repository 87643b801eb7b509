/**
 * Helpers of the contract kit; not an API, may change in any release.
 */
package dev.ce4j.test.internal;
