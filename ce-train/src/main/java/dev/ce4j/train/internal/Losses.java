package dev.ce4j.train.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.loss.BinaryCrossEntropyLoss;
import dev.ce4j.train.loss.CrossEntropyLoss;
import dev.ce4j.train.loss.LambdaLoss;
import dev.ce4j.train.loss.ListMleLoss;
import dev.ce4j.train.loss.ListNetLoss;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.loss.MarginMseLoss;
import dev.ce4j.train.loss.MseLoss;
import dev.ce4j.train.loss.MultiLabelBinaryCrossEntropyLoss;
import dev.ce4j.train.loss.MultipleNegativesRankingLoss;
import dev.ce4j.train.loss.RankNetLoss;
import dev.ce4j.train.loss.WeightingScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds a {@link Loss} from a {@link LossSpec}: the loss names and parameters of a training
 * config. Stateless and thread-safe.
 *
 * <p>Names: {@code bce}, {@code mse}, {@code cross_entropy}, {@code multilabel_bce}, {@code
 * margin_mse}, {@code mnrl}, {@code listnet}, {@code listmle}, {@code plistmle}, {@code lambda},
 * {@code ranknet}. Parameters (all optional, sentence-transformers' defaults otherwise): {@code
 * activation_fn} ({@code sigmoid}, {@code identity}, {@code tanh} or the torch class name) for
 * every loss; {@code pos_weight} (bce; for multilabel_bce a comma-separated list); {@code scale},
 * {@code num_negatives} (mnrl; {@code all} for every in-batch document); {@code
 * respect_input_order} (listmle, plistmle); {@code weighting_scheme}, {@code mu} (lambda); {@code
 * k}, {@code sigma}, {@code eps}, {@code reduction_log} ({@code binary} or {@code natural}) (lambda,
 * ranknet).
 */
public final class Losses {
  /** Every loss name, in documentation order. */
  public static final List<String> NAMES =
      List.of(
          BinaryCrossEntropyLoss.ID, MseLoss.ID, CrossEntropyLoss.ID, MultiLabelBinaryCrossEntropyLoss.ID,
          MarginMseLoss.ID, MultipleNegativesRankingLoss.ID, ListNetLoss.ID, ListMleLoss.ID,
          ListMleLoss.POSITION_AWARE_ID, LambdaLoss.ID, RankNetLoss.ID);

  private Losses() {}

  /**
   * Creates the loss a spec names.
   *
   * @param spec the name and parameters, never null
   * @return the loss, never null
   * @throws InvalidInputException naming the loss or parameter if either is unknown or invalid
   */
  public static Loss create(LossSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String name = spec.name().trim().toLowerCase(Locale.ROOT);
    Parameters p = spec.params();
    try {
      return switch (name) {
        case BinaryCrossEntropyLoss.ID -> {
          known(name, p, "activation_fn", "pos_weight");
          Double pw = p.getDouble("pos_weight").isPresent() ? p.getDouble("pos_weight").getAsDouble() : null;
          yield new BinaryCrossEntropyLoss(activation(p, ScoreActivation.IDENTITY), pw);
        }
        case MseLoss.ID -> {
          known(name, p, "activation_fn");
          yield new MseLoss(activation(p, ScoreActivation.IDENTITY));
        }
        case CrossEntropyLoss.ID -> {
          known(name, p, "activation_fn");
          yield new CrossEntropyLoss(activation(p, ScoreActivation.IDENTITY));
        }
        case MultiLabelBinaryCrossEntropyLoss.ID -> {
          known(name, p, "activation_fn", "pos_weight");
          float[] pw = null;
          if (p.get("pos_weight").isPresent()) {
            String[] parts = p.get("pos_weight").get().split(",");
            pw = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
              try {
                pw[i] = Float.parseFloat(parts[i].trim());
              } catch (NumberFormatException e) {
                throw new InvalidInputException(
                    "loss 'multilabel_bce': pos_weight must be numbers separated by commas, one per label;"
                        + " value " + (i + 1) + " is '" + parts[i].trim() + "'", e);
              }
            }
          }
          yield new MultiLabelBinaryCrossEntropyLoss(activation(p, ScoreActivation.IDENTITY), pw);
        }
        case MarginMseLoss.ID -> {
          known(name, p, "activation_fn");
          yield new MarginMseLoss(activation(p, ScoreActivation.IDENTITY));
        }
        case MultipleNegativesRankingLoss.ID -> {
          known(name, p, "activation_fn", "scale", "num_negatives");
          String nn = p.get("num_negatives").orElse(Integer.toString(MultipleNegativesRankingLoss.DEFAULT_NUM_NEGATIVES));
          Integer numNegatives = nn.equalsIgnoreCase("all") ? null : p.getInt("num_negatives", MultipleNegativesRankingLoss.DEFAULT_NUM_NEGATIVES);
          yield new MultipleNegativesRankingLoss(
              p.getDouble("scale", MultipleNegativesRankingLoss.DEFAULT_SCALE),
              activation(p, ScoreActivation.SIGMOID),
              numNegatives);
        }
        case ListNetLoss.ID -> {
          known(name, p, "activation_fn");
          yield new ListNetLoss(activation(p, ScoreActivation.IDENTITY));
        }
        case ListMleLoss.ID, ListMleLoss.POSITION_AWARE_ID -> {
          known(name, p, "activation_fn", "respect_input_order");
          yield new ListMleLoss(
              activation(p, ScoreActivation.IDENTITY),
              bool(p, "respect_input_order", true),
              name.equals(ListMleLoss.POSITION_AWARE_ID));
        }
        case LambdaLoss.ID -> {
          known(name, p, "activation_fn", "weighting_scheme", "mu", "k", "sigma", "eps", "reduction_log");
          yield new LambdaLoss(
              scheme(p),
              p.getDouble("mu", LambdaLoss.DEFAULT_MU),
              k(p),
              p.getDouble("sigma", 1.0),
              p.getDouble("eps", 1e-10),
              binaryLog(p),
              activation(p, ScoreActivation.IDENTITY));
        }
        case RankNetLoss.ID -> {
          known(name, p, "activation_fn", "k", "sigma", "eps", "reduction_log");
          yield new RankNetLoss(
              k(p), p.getDouble("sigma", 1.0), p.getDouble("eps", 1e-10), binaryLog(p),
              activation(p, ScoreActivation.IDENTITY));
        }
        default -> throw new InvalidInputException(
            "unknown loss '" + spec.name() + "'; known losses: " + String.join(", ", NAMES));
      };
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("loss '" + name + "': " + e.getMessage(), e);
    }
  }

  private static void known(String loss, Parameters p, String... names) {
    List<ParameterSpec> specs = new ArrayList<>();
    for (String n : names) {
      specs.add(new ParameterSpec(n, "", java.util.Optional.empty()));
    }
    try {
      p.requireKnown(loss, specs);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.getMessage().replace("for evaluator", "for loss"), e);
    }
  }

  private static ScoreActivation activation(Parameters p, ScoreActivation dflt) {
    String v = p.get("activation_fn").orElse(null);
    if (v == null) {
      return dflt;
    }
    for (ScoreActivation a : ScoreActivation.values()) {
      if (a.name().equalsIgnoreCase(v.trim()) || a.className().equals(v.trim())) {
        return a;
      }
    }
    throw new InvalidInputException(
        "loss parameter activation_fn must be sigmoid, identity or tanh, got '" + v + "'");
  }

  private static boolean bool(Parameters p, String name, boolean dflt) {
    String v = p.get(name).orElse(null);
    if (v == null) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new InvalidInputException("loss parameter " + name + " must be true or false, got '" + v + "'");
  }

  private static Integer k(Parameters p) {
    String v = p.get("k").orElse(null);
    return v == null || v.equalsIgnoreCase("null") || v.equalsIgnoreCase("all") ? null : p.getInt("k", 0);
  }

  private static boolean binaryLog(Parameters p) {
    String v = p.get("reduction_log").orElse("binary");
    if (v.equals("binary") || v.equals("natural")) {
      return v.equals("binary");
    }
    throw new InvalidInputException("loss parameter reduction_log must be binary or natural, got '" + v + "'");
  }

  private static WeightingScheme scheme(Parameters p) {
    String v = p.get("weighting_scheme").orElse(WeightingScheme.NDCG_LOSS2_PP.id());
    for (WeightingScheme s : WeightingScheme.values()) {
      if (s.id().equals(v)) {
        return s;
      }
    }
    List<String> ids = new ArrayList<>();
    for (WeightingScheme s : WeightingScheme.values()) {
      ids.add(s.id());
    }
    throw new InvalidInputException(
        "loss parameter weighting_scheme must be one of " + String.join(", ", ids) + ", got '" + v + "'");
  }
}
