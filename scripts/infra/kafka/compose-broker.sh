#!/bin/sh
# docker-compose.yml's broker (the apache/kafka image, one KRaft node), configured as
# scripts/infra/kafka.sh configures a developer's (issue 13): SASL/SCRAM-SHA-512 for clients, PLAIN
# on the controller listener (KRaft controllers cannot check SCRAM), the StandardAuthorizer refusing
# what no ACL allows. Every KAFKA_PASSWORD_<PRINCIPAL> the container is given, but the
# controller's, becomes the SCRAM user <principal> when the volume is first formatted (a principal
# added later: kafka-configs.sh --alter --add-config 'SCRAM-SHA-512=[password=...]'). The topics
# and ACLs are provisioned by the kafka-provision service once this broker is healthy.
set -eu
: "${KAFKA_PASSWORD_ADMIN:?}" "${KAFKA_PASSWORD_BROKER:?}" "${KAFKA_PASSWORD_CONTROLLER:?}"
CONFIG=/tmp/server.properties
DATA=/var/lib/kafka/data

umask 077
cat >"$CONFIG" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@kafka:9093
listeners=CLIENT://:9092,CONTROLLER://:9093
advertised.listeners=CLIENT://kafka:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
log.dirs=$DATA
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$KAFKA_PASSWORD_BROKER";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$KAFKA_PASSWORD_CONTROLLER" user_controller="$KAFKA_PASSWORD_CONTROLLER";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:broker;User:controller
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
PROPERTIES
# The healthcheck's login (kafka-broker-api-versions.sh --command-config).
cat >/tmp/admin.properties <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_PASSWORD_ADMIN";
PROPERTIES

if [ ! -f "$DATA/meta.properties" ]; then
  for suffix in $(env | sed -n 's/^KAFKA_PASSWORD_\([A-Z0-9_]*\)=.*/\1/p'); do
    [ "$suffix" = CONTROLLER ] && continue
    name=$(echo "$suffix" | tr 'A-Z_' 'a-z-')
    eval "password=\$KAFKA_PASSWORD_$suffix"
    set -- "$@" --add-scram "SCRAM-SHA-512=[name=$name,password=$password]"
  done
  /opt/kafka/bin/kafka-storage.sh format -t "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" -c "$CONFIG" "$@"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
