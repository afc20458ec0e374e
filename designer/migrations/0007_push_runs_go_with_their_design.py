# A design with push runs is deleted with them: a run's revision is RESTRICTed (kept while the run is), not
# PROTECTed, so deleting the design cascades to both.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("designer", "0006_merge_0004_push_0005_forget_plaintext_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pushrun",
            name="revision",
            field=models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name="push_runs",
                                    to="designer.revision"),
        ),
    ]
