"""Pages of the designer."""

from django.conf import settings
from django.shortcuts import render

from .fabric.document import load_file
from .fabric.errors import DesignError
from .fabric.pipeline import compile_design


def index(request):
    """The example designs with a summary of their plans and findings."""
    examples = []
    for path in sorted(settings.EXAMPLES_DIR.glob("*.yaml")):
        try:
            compiled = compile_design(load_file(path), with_hash=False)
        except DesignError as exc:
            examples.append({"file": path.name, "error": str(exc)})
            continue
        plan = compiled.plan
        examples.append({
            "file": path.name, "name": plan.name, "description": compiled.design.description,
            "devices": len(plan.devices), "links": len(plan.links), "sessions": len(plan.sessions),
            "vnis": len(plan.vnis),
            "errors": sum(f.severity == "error" for f in compiled.findings),
            "warnings": sum(f.severity == "warning" for f in compiled.findings),
        })
    return render(request, "designer/index.html", {"examples": examples})
