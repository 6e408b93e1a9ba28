"""release: nbgrader generate_assignment <id> --force, for every assignment asked for."""
import time

from .report import FAILED, count, duration, nbgrader_failure, rel, status


def cmd_release(course, args):
    aids = course.pick_assignments(args.assignment)
    if not aids:
        print(f"release: no assignments in {rel(course.source, course.root)}/")
        return FAILED
    start = time.perf_counter()
    released, failed = [], []
    for aid in aids:
        code, out = course.run("generate_assignment", aid, "--force")
        target = course.release / aid
        missing = [nb for nb in course.notebooks(aid) if not (target / nb).is_file()]
        if code == 0 and not missing:
            released.append(aid)
            print(f"  released {aid} -> {rel(target, course.root)}/")
        else:
            failed.append(aid)
            print(nbgrader_failure(aid, code, out))
    print(f"release: {len(released)} of {count(len(aids), 'assignment')} released in "
          f"{duration(time.perf_counter() - start)}; failures: {len(failed)}"
          + (f" ({', '.join(failed)})" if failed else ""))
    return status(failed)
