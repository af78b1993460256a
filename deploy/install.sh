#!/usr/bin/env bash
# Installs the TradeState reader agent as a systemd service under a root directory:
#   install.sh <root>                                  from this repository's build, or from the unpacked distribution
#                                                      this script is part of
#   install.sh --from tradestate-<version>.tar.gz <root>   from the distribution `mvn package` builds (deploy/target/)
#   <root>/opt/tradestate/                     the agent and the tools (from a repository: reader-agent/ and tools/,
#                                              each a runnable jar and lib/; from the distribution: deploy/lib/, every
#                                              jar once), the launchers in deploy/bin/, jvm.options (Chronicle flags)
#   <root>/usr/local/lib/systemd/system/       tradestate-reader-agent.service
#   <root>/usr/local/lib/sysusers.d/, tmpfiles.d/   tradestate.conf: the user and group, the folders and their modes
#   <root>/etc/tradestate/                     reader-agent.properties, reader-agent.jvm.options (heap, GC) and
#                                              reader-agent.env (TRADESTATE_DB_PASSWORD), mode 0640: yours to edit
# Running it again changes nothing that is already right. Product files are replaced when they differ, and the jars
# of the other layout (an earlier installation from a repository, or from a distribution) are removed; a
# configuration file in /etc/tradestate is replaced only if nobody edited it, otherwise it is kept and the shipped
# version is put next to it as <name>.example. As root it creates the user and the folders (systemd-sysusers and
# systemd-tmpfiles, with --root for another root); into / it also reloads systemd. It never starts the service.
# From a repository, build the agent and the tools first: mvn -B -DskipTests package -pl reader-agent,tools -am
# (without the tools' jar the agent is installed alone).
set -euo pipefail

tarball=""
if [[ $# -eq 3 && "$1" == "--from" ]]; then
    tarball="$2"
    shift 2
fi
if [[ $# -ne 1 || "$1" == -* ]]; then
    echo "usage: $0 [--from tradestate-<version>.tar.gz] <root>      (/ for this host, or a folder to stage an" \
        "installation in)" >&2
    exit 2
fi

# Where the product comes from: the folder of this script (deploy/ of a repository, or the unpacked distribution,
# which has the same files and lib/ besides), or the distribution named with --from, unpacked into a temporary folder.
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -n "$tarball" ]]; then
    if [[ ! -f "$tarball" ]]; then
        echo "install.sh: no distribution $tarball" >&2
        exit 2
    fi
    unpacked="$(mktemp -d)"
    trap 'rm -rf "$unpacked"' EXIT
    tar -xzf "$tarball" -C "$unpacked"
    source_dir="$(find "$unpacked" -mindepth 1 -maxdepth 1 -type d -name 'tradestate-*' | head -n 1)"
    if [[ -z "$source_dir" || ! -d "$source_dir/lib" ]]; then
        echo "install.sh: $tarball is not a TradeState distribution (no tradestate-<version>/lib/ in it)" >&2
        exit 2
    fi
fi
repo="$(cd "$source_dir/.." && pwd)"

mkdir -p "$1"
root="$(cd "$1" && pwd)"
prefix="${root%/}"
home="$prefix/opt/tradestate"
units="$prefix/usr/local/lib/systemd/system"
config="$prefix/etc/tradestate"
changes=0

say() {
    echo "install.sh: $*"
}

# install_file <mode> <source> <destination>: a product file, replaced when it differs.
install_file() {
    local mode="$1" source="$2" destination="$3"
    if [[ -f "$destination" ]] && cmp -s "$source" "$destination"; then
        if [[ "$(stat -c '%a' "$destination")" != "${mode#0}" ]]; then
            chmod "$mode" "$destination"
            say "mode $mode $destination"
            changes=$((changes + 1))
        fi
        return
    fi
    local verb="installed"
    [[ -e "$destination" ]] && verb="updated"
    install -D -m "$mode" "$source" "$destination"
    say "$verb $destination"
    changes=$((changes + 1))
}

# install_config <source> <destination> <previous shipped copy>: an operator's file, never overwritten once edited.
install_config() {
    local source="$1" destination="$2" previous="$3"
    if [[ ! -e "$destination" ]]; then
        install -D -m 0640 "$source" "$destination"
        say "installed $destination"
        changes=$((changes + 1))
    elif cmp -s "$source" "$destination"; then
        :
    elif [[ -f "$previous" ]] && cmp -s "$previous" "$destination"; then
        install -m 0640 "$source" "$destination"
        say "updated $destination (it was the shipped version, unedited)"
        changes=$((changes + 1))
    else
        if [[ ! -f "$destination.example" ]] || ! cmp -s "$source" "$destination.example"; then
            install -m 0640 "$source" "$destination.example"
            say "kept your $destination; the shipped version is $destination.example"
            changes=$((changes + 1))
        fi
    fi
}

# remove_others <folder> <pattern> <keep...>: files an earlier version installed and this one does not.
remove_others() {
    local folder="$1" pattern="$2" file name keep
    shift 2
    [[ -d "$folder" ]] || return 0
    for file in "$folder"/$pattern; do
        [[ -f "$file" ]] || continue
        name="$(basename "$file")"
        keep=0
        for wanted in "$@"; do
            [[ "$name" == "$wanted" ]] && keep=1
        done
        if [[ $keep -eq 0 ]]; then
            rm -f "$file"
            say "removed $file (not part of this version)"
            changes=$((changes + 1))
        fi
    done
}

# remove_jars <folder>: every jar of a layout this installation does not use, and the folder once empty.
remove_jars() {
    remove_others "$1" "*.jar"
    if [[ -d "$1" ]] && rmdir "$1" 2> /dev/null; then
        say "removed $1"
        changes=$((changes + 1))
    fi
}

if [[ -d "$source_dir/lib" ]]; then
    # The distribution: lib/ holds every jar once, the agent's and the tools'; the launchers find it beside bin/.
    if ! compgen -G "$source_dir/lib/tradestate-reader-agent-*.jar" > /dev/null; then
        echo "install.sh: no reader agent jar in $source_dir/lib" >&2
        exit 1
    fi
    libs=()
    for lib in "$source_dir"/lib/*.jar; do
        install_file 0644 "$lib" "$home/deploy/lib/$(basename "$lib")"
        libs+=("$(basename "$lib")")
    done
    remove_others "$home/deploy/lib" "*.jar" "${libs[@]}"
    remove_jars "$home/reader-agent/lib"
    remove_jars "$home/reader-agent"
    remove_jars "$home/tools/lib"
    remove_jars "$home/tools"
    install_file 0755 "$source_dir/bin/tradestate" "$home/deploy/bin/tradestate"
else
    jar="$(ls -t "$repo"/reader-agent/target/tradestate-reader-agent-*-runnable.jar 2>/dev/null | head -n 1 || true)"
    if [[ -z "$jar" || ! -d "$repo/reader-agent/target/lib" ]]; then
        echo "install.sh: no reader agent jar in $repo/reader-agent/target; build it first:" \
            "mvn -B -DskipTests package -pl reader-agent,tools -am, or install the distribution:" \
            "install.sh --from tradestate-<version>.tar.gz <root>" >&2
        exit 1
    fi

    # The agent: the runnable jar finds its dependencies in lib/ next to it (its manifest's Class-Path).
    install_file 0644 "$jar" "$home/reader-agent/$(basename "$jar")"
    remove_others "$home/reader-agent" "tradestate-reader-agent-*.jar" "$(basename "$jar")"
    libs=()
    for lib in "$repo"/reader-agent/target/lib/*.jar; do
        install_file 0644 "$lib" "$home/reader-agent/lib/$(basename "$lib")"
        libs+=("$(basename "$lib")")
    done
    remove_others "$home/reader-agent/lib" "*.jar" "${libs[@]}"
    remove_jars "$home/deploy/lib"

    # The tools (tradestate dump, state, verify, partitions, report, reconcile), if built: the same layout under tools/.
    tools_jar="$(ls -t "$repo"/tools/target/tradestate-tools-*-runnable.jar 2>/dev/null | head -n 1 || true)"
    if [[ -n "$tools_jar" && -d "$repo/tools/target/lib" ]]; then
        install_file 0644 "$tools_jar" "$home/tools/$(basename "$tools_jar")"
        remove_others "$home/tools" "tradestate-tools-*.jar" "$(basename "$tools_jar")"
        tool_libs=()
        for lib in "$repo"/tools/target/lib/*.jar; do
            install_file 0644 "$lib" "$home/tools/lib/$(basename "$lib")"
            tool_libs+=("$(basename "$lib")")
        done
        remove_others "$home/tools/lib" "*.jar" "${tool_libs[@]}"
        install_file 0755 "$source_dir/bin/tradestate" "$home/deploy/bin/tradestate"
    else
        say "tools not built, not installed (mvn -B -DskipTests package -pl reader-agent,tools -am builds both)"
    fi
fi

# Configuration first, compared with the shipped copies of the previous installation, which come next.
install_config "$source_dir/config/reader-agent.properties" "$config/reader-agent.properties" \
    "$home/deploy/config/reader-agent.properties"
install_config "$source_dir/systemd/reader-agent.jvm.options" "$config/reader-agent.jvm.options" \
    "$home/deploy/systemd/reader-agent.jvm.options"
install_config "$source_dir/systemd/reader-agent.env" "$config/reader-agent.env" \
    "$home/deploy/systemd/reader-agent.env"

install_file 0755 "$source_dir/bin/tradestate-reader-agent" "$home/deploy/bin/tradestate-reader-agent"
install_file 0755 "$source_dir/bin/tradestate-jvm-flags" "$home/deploy/bin/tradestate-jvm-flags"
install_file 0644 "$source_dir/jvm.options" "$home/deploy/jvm.options"
install_file 0644 "$source_dir/README.md" "$home/deploy/README.md"
install_file 0644 "$source_dir/config/reader-agent.properties" "$home/deploy/config/reader-agent.properties"
install_file 0644 "$source_dir/systemd/reader-agent.jvm.options" "$home/deploy/systemd/reader-agent.jvm.options"
install_file 0644 "$source_dir/systemd/reader-agent.env" "$home/deploy/systemd/reader-agent.env"
install_file 0644 "$source_dir/systemd/tradestate-reader-agent.service" "$units/tradestate-reader-agent.service"
install_file 0644 "$source_dir/systemd/tradestate-sysusers.conf" "$prefix/usr/local/lib/sysusers.d/tradestate.conf"
install_file 0644 "$source_dir/systemd/tradestate.conf" "$prefix/usr/local/lib/tmpfiles.d/tradestate.conf"

# The user, the group, the folders and the owners and modes of the configuration files.
root_option=()
[[ "$root" != "/" ]] && root_option=("--root=$root")
if [[ "$(id -u)" -ne 0 ]]; then
    say "skipped the user, group and folders: run as root to create them"
elif ! command -v systemd-sysusers > /dev/null || ! command -v systemd-tmpfiles > /dev/null; then
    say "skipped the user, group and folders: systemd-sysusers or systemd-tmpfiles is missing"
else
    if ! grep -q '^tradestate:' "$prefix/etc/passwd" 2> /dev/null; then
        systemd-sysusers "${root_option[@]}" "$prefix/usr/local/lib/sysusers.d/tradestate.conf"
        say "created the user and group tradestate"
        changes=$((changes + 1))
    fi
    systemd-tmpfiles "${root_option[@]}" --create "$prefix/usr/local/lib/tmpfiles.d/tradestate.conf"
fi

if [[ "$root" == "/" && -d /run/systemd/system ]] && command -v systemctl > /dev/null; then
    if [[ $changes -gt 0 ]]; then
        systemctl daemon-reload
        say "reloaded systemd"
    fi
    say "start it with: systemctl enable --now tradestate-reader-agent"
fi
say "$changes changes under $root"
