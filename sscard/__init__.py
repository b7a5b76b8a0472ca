"""sscard: an offline reference for China's social security card (社会保障卡)."""
