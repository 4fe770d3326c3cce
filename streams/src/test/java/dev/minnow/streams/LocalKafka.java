package dev.minnow.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka cluster in this JVM (KRaft, combined broker and controller, from Kafka's server jars and its
 * cluster test kit) for the real-broker test and benchmark: listeners on free ports bound at run time, logs and
 * metadata under the given directory (deleted on close).
 */
final class LocalKafka {
    private LocalKafka() {}

    /** Formats and starts the cluster under {@code dir}, waiting for the broker to be ready. */
    static KafkaClusterTestKit start(Path dir) throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build())
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Creates the topology's topics (the tables compacted), the input with {@code inputPartitions} partitions. */
    static void createTopics(String bootstrap, ScoringTopology.Topics topics, int inputPartitions, long timeoutMillis) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            List<NewTopic> list = new java.util.ArrayList<>(List.of(new NewTopic(topics.input(), inputPartitions, (short) 1),
                    new NewTopic(topics.events(), 1, (short) 1), new NewTopic(topics.deadLetters(), 1, (short) 1),
                    new NewTopic(topics.detectors(), 1, (short) 1).configs(compact),
                    new NewTopic(topics.deviceGroups(), 1, (short) 1).configs(compact)));
            if (topics.scores() != null) list.add(new NewTopic(topics.scores(), 1, (short) 1));
            admin.createTopics(list).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }
}
