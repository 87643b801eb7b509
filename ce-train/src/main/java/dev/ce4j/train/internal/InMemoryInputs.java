package dev.ce4j.train.internal;

import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.io.AtomicFiles;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.TrainingExamples;
import dev.ce4j.train.manifest.DataFileDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A run's inputs held in memory: a loaded model and training data. The run records them as the
 * files they stand for, in its own folder ({@value #FOLDER}/{@value #MODEL} and {@value
 * #FOLDER}/{@value #TRAIN}): its arguments name those files, {@code run.json} records the data's
 * SHA-256 and the files are written once the run holds its folder, so {@code ce reproduce} replays
 * the run like any other. The caller's model is copied, never changed. Immutable.
 *
 * @param model the model to fine-tune, open while the run sets up, never null
 * @param data the training data, never null
 */
public record InMemoryInputs(CrossEncoder model, TrainingExamples data) {
  /** The run folder's subfolder for the inputs. */
  public static final String FOLDER = "inputs";
  /** The model folder's name under {@link #FOLDER}. */
  public static final String MODEL = "model";
  /** The training file's name under {@link #FOLDER}. */
  public static final String TRAIN = "train.jsonl";

  /** Validates. */
  public InMemoryInputs {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
  }

  /**
   * The run's arguments: the given settings with the model and the training data set to the files
   * these inputs are recorded as.
   *
   * @param settings everything else of the run, never null; its model and training data are
   *     replaced
   * @param output the run folder, never null
   * @return the arguments, never null
   * @throws dev.ce4j.api.InvalidInputException if the settings are invalid
   */
  public TrainingArguments bind(TrainingArguments.Builder settings, Path output) {
    Path inputs = output.resolve(FOLDER);
    return settings.setModel(ModelSource.folder(inputs.resolve(MODEL)))
        .setTrainData(List.of(new DataFile(inputs.resolve(TRAIN), data.format())))
        .build();
  }

  /**
   * A copy of the model on the run's device, which the run trains.
   *
   * @param options the run's device, never null
   * @return the copy, to be closed, never null
   */
  public CrossEncoder copyModel(CrossEncoderOptions options) {
    return CrossEncoder.fromWeights(model.config(), model.weights().toHost(), model.tokenizerFiles(), options);
  }

  /**
   * The training data's entry in {@code run.json}: the file it is recorded as and the SHA-256 of
   * its bytes.
   *
   * @param file the file the arguments name, never null
   * @return the digest, never null
   */
  public DataFileDigest digest(Path file) {
    return new DataFileDigest("train", file.toString(), data.sha256());
  }

  /**
   * Writes the inputs into the run folder: the data file (always, so that it matches the data the
   * run trains on) and the model folder (when it is not there yet: a resumed run's is the one it
   * started from).
   *
   * @param output the run folder, which the run holds, never null
   * @throws IOException if writing fails
   */
  public void write(Path output) throws IOException {
    Path inputs = Files.createDirectories(output.resolve(FOLDER));
    AtomicFiles.write(inputs.resolve(TRAIN), data.toJsonLines());
    Path modelDir = inputs.resolve(MODEL);
    if (!Files.exists(modelDir.resolve(ModelFolder.WEIGHTS))) {
      model.save(modelDir);
    }
  }
}
