/**
 * Learning-rate schedules as pure functions from the optimiser step to a multiplier of the base
 * learning rate, identical to transformers' {@code get_*_schedule_with_warmup}.
 */
package dev.ce4j.train.schedule;
