/**
 * Training: {@link dev.jumbo.train.Trainer} (fit, evaluate, predict), classification
 * {@link dev.jumbo.train.Metrics} and {@link dev.jumbo.train.ConfusionMatrix}, and Keras-shaped
 * {@link dev.jumbo.train.Callback}s: History, ProgressBar, EarlyStopping, ModelCheckpoint,
 * ReduceLROnPlateau, LearningRateScheduler, CsvLogger, JsonLogger, CurvesPlot, TerminateOnNaN and
 * BackupAndRestore (batch-level, bit-identical resume).
 *
 * <pre>{@code
 * Module net = Zoo.create("lenet5", new Rng(1));
 * Trainer trainer = Trainer.builder().optimizer(new AdamW(AdamW.options().lr(1e-3), net.parameters())).seed(1).build();
 * trainer.fit(net, trainLoader, valLoader, 10, new ProgressBar(), new TerminateOnNaN(),
 *         new ModelCheckpoint(run.resolve("best"), "val_accuracy", true),
 *         new BackupAndRestore(run.resolve("checkpoints"), 100, true));
 * }</pre>
 *
 * Files are written atomically through {@code dev.jumbo.io}; models are saved and loaded with
 * {@link dev.jumbo.nn.Model}.
 */
package dev.jumbo.train;
