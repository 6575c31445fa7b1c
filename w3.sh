trap 'echo PARENT-TRAP >&2; exit 130' INT
( trap - INT; kill -s INT $BASHPID ); echo "after subshell raise: $?" >&2
( exit 130 ); echo "after subshell exit130: $?" >&2
