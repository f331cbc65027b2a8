# Sourced by ./mvnw, qa/node and qa/bench: finds a JDK 21 or newer, whatever the machine's default java is.
# ./mvnw is a POSIX sh script (the Maven Wrapper): keep this file free of bash-only syntax.
# Functions:
#   java_major DIR   prints the Java specification version of DIR/bin/java (e.g. 21, 25)
#   pick_jdk         prints the first JDK 21+ home found ($JAVA_HOME first), or returns 1
#   require_jdk21    prints a JDK 21+ home; as root with apt-get it installs openjdk-21 when none is
#                    found; otherwise prints a clear message to stderr and returns 1
# The prefix used in messages is $JAVA_SH_PREFIX (default: the calling script's name).

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                   /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

require_jdk21() {
  local prefix="${JAVA_SH_PREFIX:-$(basename "$0")}"
  if pick_jdk; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$prefix: no JDK 21+ found, installing openjdk-21-jdk-headless" >&2
    { apt-get update -qq && apt-get install -y -qq openjdk-21-jdk-headless; } >&2 || true
    if pick_jdk; then
      return 0
    fi
  fi
  echo "$prefix: no JDK 21 or newer found; install one and set JAVA_HOME" >&2
  return 1
}
