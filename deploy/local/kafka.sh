# shellcheck shell=bash
# Apache Kafka for local tests: broker jars resolved from Maven Central via
# kafka-pom.xml, one KRaft node (broker+controller) on 127.0.0.1. Sourced by servers.sh.

KAFKA_POM="$LOCAL_DIR/kafka-pom.xml"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM")"
KAFKA_HOME="$CONTIGO_CACHE/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_STATE="$CONTIGO_STATE/kafka"
KAFKA_DATA="$KAFKA_STATE/data"
KAFKA_PID="$KAFKA_STATE/kafka.pid"
KAFKA_LOG="$CONTIGO_LOGS/kafka.log"
CONTIGO_KAFKA_HEAP="${CONTIGO_KAFKA_HEAP:--Xms256m -Xmx512m}"

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    JAVA="${CONTIGO_JAVA:-$JAVA_HOME/bin/java}"
else
    JAVA="${CONTIGO_JAVA:-java}"
fi

kafka_install() {
    local marker="$KAFKA_HOME/.installed" want tmp
    want=$(sha_of "$KAFKA_POM")
    if [[ -f $marker && $(<"$marker") == "$want" && -d $KAFKA_LIBS ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "kafka: mvn not found (apt-get install maven)"
    command -v "$JAVA" >/dev/null || die "kafka: java not found (JDK 17+ required)"
    info "kafka: resolving Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
    mkdir -p "$KAFKA_HOME"
    tmp=$(mktemp -d "$KAFKA_HOME/libs.tmp.XXXXXX")
    if ! mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime; then
        rm -rf "$tmp"
        die "kafka: mvn dependency:copy-dependencies failed"
    fi
    rm -rf "$KAFKA_LIBS"
    mv "$tmp" "$KAFKA_LIBS"
    echo "$want" >"$marker"
}

kafka_running() {
    pid_alive "$KAFKA_PID" "kafka.Kafka $KAFKA_STATE/server.properties"
}

# kafka_tool CLASS ARGS...: run a Kafka CLI class from the cached jars, quietly.
kafka_tool() {
    local class=$1
    shift
    "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 \
        -Dlog4j2.configurationFile="$KAFKA_STATE/tools-log4j2.properties" \
        -cp "$KAFKA_LIBS/*" "$class" "$@"
}

kafka_healthy() {
    port_open "$CONTIGO_KAFKA_PORT" || return 1
    # A metadata round trip through the admin client, bounded in time.
    timeout 30 "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 \
        -Dlog4j2.configurationFile="$KAFKA_STATE/tools-log4j2.properties" \
        -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$CONTIGO_BIND:$CONTIGO_KAFKA_PORT" \
        --command-config "$KAFKA_STATE/client.properties" --list >/dev/null 2>&1
}

kafka_write_config() {
    mkdir -p "$KAFKA_STATE" "$CONTIGO_LOGS"
    cat >"$KAFKA_STATE/server.properties" <<EOF
# Written by deploy/local/kafka.sh on every start. Single KRaft node.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$CONTIGO_BIND:$CONTIGO_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$CONTIGO_BIND:$CONTIGO_KAFKA_PORT,CONTROLLER://$CONTIGO_BIND:$CONTIGO_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$CONTIGO_BIND:$CONTIGO_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
    # Broker logs go to stdout, which start redirects into $KAFKA_LOG.
    cat >"$KAFKA_STATE/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF
    cat >"$KAFKA_STATE/tools-log4j2.properties" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF
    cat >"$KAFKA_STATE/client.properties" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

kafka_format() {
    [[ -f $KAFKA_DATA/meta.properties ]] && return 0
    local cluster_file="$KAFKA_STATE/cluster.id" cluster_id
    if [[ ! -s $cluster_file ]]; then
        kafka_tool kafka.tools.StorageTool random-uuid >"$cluster_file"
    fi
    cluster_id=$(<"$cluster_file")
    info "kafka: formatting KRaft storage in $KAFKA_DATA (cluster $cluster_id)"
    kafka_tool kafka.tools.StorageTool format --ignore-formatted \
        --cluster-id "$cluster_id" --config "$KAFKA_STATE/server.properties" >>"$KAFKA_LOG" 2>&1 \
        || { tail -n 20 "$KAFKA_LOG" >&2; die "kafka: storage format failed (log: $KAFKA_LOG)"; }
}

kafka_start() {
    if kafka_running; then
        kafka_healthy || wait_healthy kafka "$KAFKA_LOG" kafka_healthy \
            || die "kafka: running but not healthy within ${CONTIGO_START_TIMEOUT}s (log: $KAFKA_LOG)"
        info "kafka: already running on $CONTIGO_BIND:$CONTIGO_KAFKA_PORT"
        return 0
    fi
    rm -f "$KAFKA_PID"
    kafka_install
    require_port_free kafka "$CONTIGO_KAFKA_PORT"
    require_port_free kafka "$CONTIGO_KAFKA_CONTROLLER_PORT"
    kafka_write_config
    rotate_log "$KAFKA_LOG"
    kafka_format
    info "kafka: starting on $CONTIGO_BIND:$CONTIGO_KAFKA_PORT (controller $CONTIGO_KAFKA_CONTROLLER_PORT)"
    # shellcheck disable=SC2086  # CONTIGO_KAFKA_HEAP holds several JVM flags
    (
        cd "$KAFKA_STATE" || exit 1
        exec setsid nohup "$JAVA" $CONTIGO_KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
            -Djava.awt.headless=true \
            -Dlog4j2.configurationFile="$KAFKA_STATE/log4j2.properties" \
            -Dkafka.logs.dir="$CONTIGO_LOGS" \
            -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_STATE/server.properties" \
            >>"$KAFKA_LOG" 2>&1 </dev/null
    ) &
    echo $! >"$KAFKA_PID"
    if ! wait_healthy kafka "$KAFKA_LOG" kafka_healthy; then
        stop_pid kafka "$KAFKA_PID" "kafka.Kafka" 30 >/dev/null 2>&1 || true
        die "kafka: not healthy within ${CONTIGO_START_TIMEOUT}s, stopped it (log: $KAFKA_LOG)"
    fi
}

kafka_stop() {
    stop_pid kafka "$KAFKA_PID" "kafka.Kafka $KAFKA_STATE/server.properties" 60
}

kafka_status() {
    if kafka_running; then
        echo "kafka     running  $CONTIGO_BIND:$CONTIGO_KAFKA_PORT"
    else
        echo "kafka     stopped  $CONTIGO_BIND:$CONTIGO_KAFKA_PORT"
    fi
}

kafka_env() {
    echo "CONTIGO_KAFKA_BOOTSTRAP=$CONTIGO_BIND:$CONTIGO_KAFKA_PORT"
}
