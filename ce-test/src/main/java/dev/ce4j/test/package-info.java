/**
 * The contract kit for {@link dev.ce4j.api.eval.Evaluator} plugins, ours and third parties':
 * {@link dev.ce4j.test.EvaluatorContractTest}, an abstract JUnit 5 class that an evaluator passes
 * with a short subclass, and {@link dev.ce4j.test.ContractInputs}, ready-made inputs for it.
 *
 * <p>Add {@code dev.ce4j:ce-test} in {@code test} scope; it brings JUnit Jupiter's API and
 * AssertJ with it.
 */
package dev.ce4j.test;
