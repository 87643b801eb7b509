package dev.ce4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.CeException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.spark.internal.ExecutorInfo;
import dev.ce4j.spark.internal.ExecutorModels;
import dev.ce4j.spark.mine.MiningJob;
import dev.ce4j.spark.mine.QueryStreams;
import dev.ce4j.spark.mine.SparkMining;
import dev.ce4j.spark.mine.SparkMiningTest;
import dev.ce4j.spark.score.ScoringOptions;
import dev.ce4j.spark.score.SparkScoring;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.MiningQuery;
import dev.ce4j.train.mining.SamplingStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring and mining through a real standalone cluster on loopback: a master and two workers, each
 * its own JVM, whose executors are separate processes; the last test kills a worker mid-job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  private static final StructType PAIRS = new StructType().add("id", DataTypes.StringType)
      .add("query", DataTypes.StringType).add("document", DataTypes.StringType);
  private static final int PARTITIONS = 6;

  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static SparkSession spark;
  private static Path model;
  private static List<Row> rows;
  private static List<Row> undisturbed;

  @BeforeAll
  static void start() throws Exception {
    model = TinyModels.folder(dir.resolve("model"), 1, 31);
    rows = new ArrayList<>();
    String[] words = {"river", "bank", "money", "loan", "fish", "water", "interest", "rate"};
    for (int i = 0; i < 120; i++) {
      StringBuilder doc = new StringBuilder();
      for (int w = 0; w < 1 + (i * 5) % 17; w++) {
        doc.append(words[(i + w) % words.length]).append(' ');
      }
      rows.add(RowFactory.create(String.format("r%03d", i), "a " + words[i % 8] + " question", doc.toString().trim()));
    }
    cluster = new LocalCluster(dir.resolve("cluster"), 2);
    try {
      spark = SparkSession.builder()
          .master(cluster.masterUrl())
          .appName("ce-spark-standalone-test")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.executor.extraClassPath", LocalCluster.classPath())
          .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true")
          .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
          .config("spark.executorEnv.GLIBC_TUNABLES", String.valueOf(System.getenv("GLIBC_TUNABLES")))
          .config("spark.executor.memory", "512m")
          .config("spark.executor.cores", "1")
          .config("spark.cores.max", "2")
          .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
          .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "90s")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.adaptive.enabled", "false")
          .getOrCreate();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3 && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      assertThat(spark.sparkContext().statusTracker().getExecutorInfos()).as("driver and two executors").hasSize(3);
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      cluster.close();
    }
  }

  private static Dataset<Row> data() {
    return spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(rows, PARTITIONS), PAIRS);
  }

  private static ScoringOptions options() {
    return ScoringOptions.of(model.toString()).withIdColumn("id").withBatchSize(8).withChunkSize(16).withIntraOpThreads(1);
  }

  @Test
  @Order(1)
  void scoringRunsInSeparateExecutorJvmsThatEachLoadTheModelOnce() {
    int driverLoads = ExecutorModels.loads(); // earlier test classes in this JVM may have loaded models
    undisturbed = SparkScoring.score(data(), options()).collectAsList();
    double[] expected;
    try (CrossEncoder m = CrossEncoder.load(model)) {
      expected = m.predictScores(undisturbed.stream().map(r -> TextPair.of(r.getString(1), r.getString(2))).toList());
    }
    assertThat(undisturbed.stream().map(r -> r.getString(0)).toList()).isSorted().hasSize(rows.size());
    for (int i = 0; i < expected.length; i++) {
      assertThat(undisturbed.get(i).getDouble(3)).isCloseTo(expected[i], within(1e-6));
    }
    // ask every executor (many small tasks reach both) for its pid and model loads
    List<String> reports = new JavaSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
        .map(x -> {
          Thread.sleep(300);
          return ExecutorInfo.executorId() + " " + ProcessHandle.current().pid() + " " + ExecutorModels.loads();
        })
        .collect();
    Map<String, String> byExecutor = new TreeMap<>();
    reports.forEach(r -> byExecutor.put(r.split(" ")[0], r));
    assertThat(byExecutor).hasSize(2);
    for (String r : byExecutor.values()) {
      String[] f = r.split(" ");
      assertThat(Long.parseLong(f[1])).as("an executor is its own process").isNotEqualTo(ProcessHandle.current().pid());
      assertThat(f[2]).as("model loads of executor " + f[0]).isEqualTo("1");
    }
    assertThat(ExecutorModels.loads()).as("the driver scores nothing").isEqualTo(driverLoads);
  }

  @Test
  @Order(2)
  void anExecutorWhoseModelDiffersFromTheDriversIsNamed() {
    assertThatThrownBy(() -> SparkActions.run(() -> SparkScoring.score(data(), options(), "0".repeat(64)).count()))
        .isInstanceOf(CeException.class)
        .hasMessageMatching("the model folder .* on executor \\d+ on 127\\.0\\.0\\.1 \\(pid \\d+\\) has fingerprint [0-9a-f]{64},"
            + " the driver's has 0{64}; .*");
  }

  @Test
  @Order(3)
  void miningThroughTheClusterEqualsTheSingleJvmMiner() {
    MiningOptions options = MiningOptions.DEFAULTS.withNumNegatives(3).withRange(0, 30).withStrategy(SamplingStrategy.RANDOM);
    JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
    List<Row> mined = SparkMining.mine(
            spark.createDataFrame(jsc.parallelize(SparkMiningTest.queries(), 4), SparkMiningTest.QUERIES),
            spark.createDataFrame(jsc.parallelize(SparkMiningTest.corpus(), 2), SparkMiningTest.CORPUS),
            MiningJob.of(options, 5), dir.resolve("mine-work"))
        .collectAsList();
    List<MiningQuery> queries = SparkMiningTest.queries().stream()
        .map(r -> new MiningQuery(r.getString(0), r.getString(1), List.of((String[]) r.get(2)))).toList();
    List<String> docs = new ArrayList<>();
    queries.forEach(q -> docs.addAll(q.positives()));
    SparkMiningTest.corpus().forEach(r -> docs.add(r.getString(1)));
    List<Row> sorted = new ArrayList<>(mined);
    sorted.sort(Comparator.comparing(r -> r.getString(0)));
    assertThat(sorted).hasSize(queries.size());
    try (Bm25HardNegativeMiner miner = new Bm25HardNegativeMiner(docs)) {
      for (int i = 0; i < queries.size(); i++) {
        MiningQuery q = queries.get(i);
        assertThat(sorted.get(i).getList(4)).as(q.id())
            .isEqualTo(miner.mine(q, QueryStreams.of(q.id()), options, new DefaultSeedStrategy(5)).negatives());
      }
    }
  }

  @Test
  @Order(4)
  void aWorkerKilledMidJobLeavesTheOutputUnchanged() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskStart(SparkListenerTaskStart e) {
        started.incrementAndGet();
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (!e.taskInfo().successful()) {
          failed.incrementAndGet();
        }
      }
    });
    // each partition waits 2 s before it is scored, so that the kill hits running tasks
    Dataset<Row> slow = spark.createDataFrame(data().javaRDD().mapPartitions(it -> {
      Thread.sleep(2000);
      return it;
    }), PAIRS);
    CompletableFuture<List<Row>> job = CompletableFuture.supplyAsync(() -> SparkScoring.score(slow, options()).collectAsList());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (started.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(500);
    LocalCluster.kill(cluster.worker(1));
    List<Row> out = job.get(180, TimeUnit.SECONDS);
    assertThat(failed.get()).as("tasks lost with the worker").isPositive();
    assertThat(out).hasSize(undisturbed.size());
    for (int i = 0; i < out.size(); i++) {
      assertThat(out.get(i).getString(0)).isEqualTo(undisturbed.get(i).getString(0));
      assertThat(Double.doubleToRawLongBits(out.get(i).getDouble(3)))
          .as(out.get(i).getString(0)).isEqualTo(Double.doubleToRawLongBits(undisturbed.get(i).getDouble(3)));
    }
  }
}
