# Sourced by scripts/gatehouse, scripts/test and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME, `java` on PATH, then the usual install folders (newest first).

gatehouse_java_major() { # $1 = path to a java binary; prints its feature version or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

gatehouse_find_jdk() {
  local want=21 candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)"); candidates+=("${c%/bin/java}")
  fi
  for c in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* 2>/dev/null | sort -rV); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(gatehouse_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] 2>/dev/null; then
      export JAVA_HOME="$c"; export PATH="$c/bin:$PATH"; return 0
    fi
  done
  {
    echo "gatehouse: no JDK $want or newer found."
    echo "  looked at: ${candidates[*]:-(nothing: no JAVA_HOME, no java on PATH, no /usr/lib/jvm)}"
    echo "  install one (e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21/25 JDK) or set JAVA_HOME."
  } >&2
  return 1
}
