package cdnfaas.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One exactly-once consume-transform-produce hop, the way Kafka Streams runs a task under
 * exactly-once v2: one transactional producer for every input partition, a read_committed consumer
 * without auto-commit, and offsets committed inside the producer's transaction with the consumer's
 * group metadata (so a zombie from an older generation is fenced by the group coordinator).
 *
 * <p>Usage: {@code EosAnchor <brokers> <input> <output> <group> <records> [maxSeconds]
 * [commitIntervalMs]}. A commit interval of 0 commits once per poll; Kafka Streams commits every
 * commit.interval.ms (100 under exactly-once), which spans one or more polls.
 *
 * <p>Progress goes to stderr once a second; one JSON line with the figures goes to stdout at the end.
 */
public final class EosAnchor {
  private EosAnchor() {}

  record Options(
      String brokers,
      String input,
      String output,
      String group,
      long records,
      long maxSeconds,
      long commitIntervalMs) {
    static Options parse(String[] args) {
      if (args.length < 5 || args.length > 7) {
        throw new IllegalArgumentException(
            "usage: EosAnchor <brokers> <input> <output> <group> <records> [maxSeconds] [commitIntervalMs]");
      }
      return new Options(
          args[0],
          args[1],
          args[2],
          args[3],
          Long.parseLong(args[4]),
          args.length > 5 ? Long.parseLong(args[5]) : 300,
          args.length > 6 ? Long.parseLong(args[6]) : 0);
    }
  }

  public static void main(String[] args) {
    try {
      Options options = Options.parse(args);
      Figures figures = run(options);
      System.out.println(figures.toJson());
      // A run cut short by the time limit still reports what it did; the caller decides.
      System.exit(0);
    } catch (Exception error) {
      System.err.println("java-eos: failed: " + error);
      System.exit(1);
    }
  }

  /** Kafka Streams' own overrides for exactly-once v2 (StreamsConfig), so the hop is Streams' hop. */
  static Properties producerProperties(Options options) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.brokers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, options.group() + "-producer");
    // One transactional id per stream thread, not per partition: that is what v2 changed.
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, options.group() + "-eos-v2-0");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE));
    // Short, so a crashed run's open transaction stops blocking read_committed readers soon.
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "100");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  static Properties consumerProperties(Options options) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.brokers());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, options.group() + "-consumer");
    c.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return c;
  }

  /** The transform: an echo. The anchor measures the hop, not work done inside it. */
  static byte[] transform(byte[] value) {
    return value;
  }

  static Figures run(Options options) {
    Progress progress = new Progress();
    List<Long> commitNanos = new ArrayList<>();
    long processed = 0;
    // Records whose transaction committed; an open transaction cut off by the time limit is aborted.
    long committed = 0;
    long firstRecordAt = 0;
    long lastCommitAt = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(options.maxSeconds()).toNanos();
    long commitIntervalNanos = Duration.ofMillis(options.commitIntervalMs()).toNanos();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(options));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(options))) {
      producer.initTransactions();
      consumer.subscribe(List.of(options.input()));
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      long transactionStarted = 0;
      while (processed < options.records() && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        progress.maybeReport(processed, commitNanos.size());
        if (records.isEmpty() && offsets.isEmpty()) continue;
        if (firstRecordAt == 0) firstRecordAt = System.nanoTime();
        if (offsets.isEmpty() && !records.isEmpty()) {
          producer.beginTransaction();
          transactionStarted = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          producer.send(new ProducerRecord<>(options.output(), record.key(), transform(record.value())));
          offsets.put(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
          processed++;
        }
        boolean due = System.nanoTime() - transactionStarted >= commitIntervalNanos;
        if (offsets.isEmpty() || !(due || processed >= options.records())) continue;
        long before = System.nanoTime();
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        lastCommitAt = System.nanoTime();
        commitNanos.add(lastCommitAt - before);
        committed = processed;
        offsets = new HashMap<>();
      }
      if (!offsets.isEmpty()) producer.abortTransaction();
    }
    if (committed == 0) {
      throw new IllegalStateException(
          "no transaction committed from " + options.input() + " within " + options.maxSeconds() + " s");
    }
    if (committed < options.records()) {
      System.err.printf(
          Locale.ROOT,
          "java-eos: stopped at the %d s limit after %d of %d records%n",
          options.maxSeconds(),
          committed,
          options.records());
    }
    return Figures.of(committed, (lastCommitAt - firstRecordAt) / 1e9, commitNanos);
  }

  /** One stderr line a second, so a long run shows it is alive and how fast it goes. */
  static final class Progress {
    private long lastAt = System.nanoTime();
    private long lastRecords = 0;

    void maybeReport(long records, int transactions) {
      long now = System.nanoTime();
      if (now - lastAt < 1_000_000_000L) return;
      double rate = (records - lastRecords) / ((now - lastAt) / 1e9);
      System.err.printf(
          Locale.ROOT,
          "java-eos: %d records, %d transactions, %.0f records/s%n",
          records,
          transactions,
          rate);
      lastAt = now;
      lastRecords = records;
    }
  }

  record Figures(long records, double seconds, int transactions, double p50Ms, double p99Ms) {
    static Figures of(long records, double seconds, List<Long> commitNanos) {
      long[] sorted = commitNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Figures(
          records, seconds, sorted.length, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    }

    /** Nearest rank: the smallest value with at least q of the values at or below it. */
    static double percentile(long[] sorted, double q) {
      if (sorted.length == 0) return 0;
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"records\":%d,\"seconds\":%.3f,\"recordsPerSecond\":%.1f,\"transactions\":%d,"
              + "\"commitLatencyMs\":{\"p50\":%.3f,\"p99\":%.3f},\"recordsPerTransaction\":%.1f}",
          records,
          seconds,
          seconds > 0 ? records / seconds : 0,
          transactions,
          p50Ms,
          p99Ms,
          transactions > 0 ? (double) records / transactions : 0);
    }
  }
}
