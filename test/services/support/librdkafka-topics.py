"""Lists Kafka's topics with a current librdkafka (PyPI's confluent-kafka), configured only by a
librdkafka properties file such as `cdnfaas credentials --kafka` prints.

    librdkafka-topics.py FILE [--without-sasl]

Prints one JSON line: {"librdkafka": "2.16.0", "topics": {"cdn_raw": 6, ...}}, or exits 1 with
the client's error. --without-sasl drops the sasl.* lines and asks over TLS alone, which a
secured broker must refuse.
"""
import json
import sys

from confluent_kafka import KafkaException, libversion
from confluent_kafka.admin import AdminClient

config = {}
with open(sys.argv[1], encoding="utf-8") as properties:
    for line in properties:
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            config[key] = value
if "--without-sasl" in sys.argv:
    config = {key: value for key, value in config.items() if not key.startswith("sasl.")}
    config["security.protocol"] = "ssl"

try:
    metadata = AdminClient(config).list_topics(timeout=20)
except KafkaException as error:
    print(f"refused: {error}", file=sys.stderr)
    sys.exit(1)
topics = {name: len(topic.partitions) for name, topic in metadata.topics.items() if not name.startswith("__")}
print(json.dumps({"librdkafka": libversion()[0], "topics": topics}))
