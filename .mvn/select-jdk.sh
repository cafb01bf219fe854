# Selects a JDK >= 21 for ArqonBus's scripts (mvnw, arqon, .ci/run, bench/run.sh).
# Sourced, not run: exports JAVA_HOME and puts its bin first on PATH, or stops with a message.
# Order: $JAVA_HOME if it is >= 21, else the `java` on PATH if it is >= 21, else the newest
# JDK >= 21 under /usr/lib/jvm, /usr/local, /opt or ~/.sdkman/candidates/java.

arqon_jdk_major() {
  # Prints the feature version of the JDK at $1, or nothing when it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1
  fi
}

arqon_select_jdk() {
  local want=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(arqon_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(arqon_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /usr/local/*jdk* /opt/*jdk* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$candidate" ] || continue
    major=$(arqon_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "arqon: no JDK 21 or newer found. Install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

arqon_select_jdk || exit 1
