/**
 * Every evaluator of this module passes {@link dev.ce4j.test.EvaluatorContractTest}, one short
 * subclass each, and discovery finds exactly the expected ids.
 */
package dev.ce4j.eval.contract;
