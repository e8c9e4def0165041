// Demo catalogue seeded by `npm start` on first run: a small Japanese lifestyle shop.
// Prices are tax-inclusive yen (総額表示), as Japanese law requires for consumer-facing prices.

export interface DemoCategory { slug: string; nameJa: string; nameEn: string }
export interface DemoVariant { sku: string; nameJa: string; nameEn: string; price: number /* JPY, tax-inclusive, integer */; stock: number }
export interface DemoProduct {
  slug: string; category: string /* a DemoCategory slug */;
  nameJa: string; nameEn: string; descriptionJa: string; descriptionEn: string;
  /** Reading keywords (読み), space-separated, so kana finds the kanji name. */
  reading: string;
  taxRate: 8 | 10; // 8 = reduced rate (food and non-alcoholic drinks), 10 = standard
  images: { altJa: string; altEn: string; hue: number /* 0-359 */; motif: 'cup' | 'bowl' | 'shirt' | 'bag' | 'box' | 'leaf' | 'bottle' | 'towel' }[];
  variants: DemoVariant[]; // at least one; variants such as size / colour / weight
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: 'tea', nameJa: 'お茶', nameEn: 'Tea' },
  { slug: 'food', nameJa: '食品', nameEn: 'Food' },
  { slug: 'clothing', nameJa: '衣類', nameEn: 'Clothing' },
  { slug: 'homeware', nameJa: '雑貨', nameEn: 'Homeware' },
];

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    slug: 'uji-matcha-latte',
    category: 'tea',
    nameJa: '宇治抹茶ラテ',
    nameEn: 'Uji Matcha Latte',
    reading: 'うじまっちゃらて まっちゃらて まっちゃ',
    descriptionJa: '京都・宇治産の抹茶に国産ミルクパウダーを合わせた、お湯や牛乳に溶かすだけのラテの素です。ほどよい甘さで、抹茶の香りをしっかり楽しめます。',
    descriptionEn: 'A latte mix of Uji matcha from Kyoto and Japanese milk powder: just stir it into hot water or milk. Gently sweet, with plenty of matcha aroma.',
    taxRate: 8,
    images: [
      { altJa: '抹茶ラテが注がれたカップ', altEn: 'A cup filled with matcha latte', hue: 100, motif: 'cup' },
      { altJa: '宇治抹茶ラテの箱入りパッケージ', altEn: 'The boxed Uji Matcha Latte package', hue: 95, motif: 'box' },
    ],
    variants: [
      { sku: 'TEA-MATCHA-LATTE-200G', nameJa: '200g', nameEn: '200 g', price: 1296, stock: 40 },
      { sku: 'TEA-MATCHA-LATTE-500G', nameJa: '500g', nameEn: '500 g', price: 2916, stock: 15 },
    ],
  },
  {
    slug: 'organic-uji-matcha',
    category: 'tea',
    nameJa: '有機宇治抹茶',
    nameEn: 'Organic Uji Matcha',
    reading: 'ゆうきうじまっちゃ うじまっちゃ まっちゃ',
    descriptionJa: '宇治の契約茶園で有機栽培した一番茶を、石臼でじっくり挽き上げました。点ててもお菓子作りに使っても、まろやかな旨みが引き立ちます。',
    descriptionEn: 'First-flush leaves grown organically on a partner farm in Uji, slowly stone-ground. Its mellow umami shines whether whisked as tea or used in baking.',
    taxRate: 8,
    images: [
      { altJa: '泡立てた抹茶が入った茶碗', altEn: 'A tea bowl of freshly whisked matcha', hue: 110, motif: 'bowl' },
    ],
    variants: [
      { sku: 'TEA-MATCHA-ORGANIC-30G', nameJa: '30g 缶入り', nameEn: '30 g tin', price: 1620, stock: 25 },
      { sku: 'TEA-MATCHA-ORGANIC-100G', nameJa: '100g 袋入り', nameEn: '100 g pouch', price: 4860, stock: 3 },
    ],
  },
  {
    slug: 'shizuoka-fukamushi-sencha',
    category: 'tea',
    nameJa: '静岡深蒸し煎茶',
    nameEn: 'Shizuoka Deep-Steamed Sencha',
    reading: 'しずおかふかむしせんちゃ ふかむしせんちゃ せんちゃ りょくちゃ',
    descriptionJa: '牧之原台地で育った茶葉を、通常より長く蒸して仕上げました。濃い緑の水色と、渋みの少ないまろやかな味わいが特長です。',
    descriptionEn: 'Leaves from the Makinohara plateau, steamed for longer than usual. It brews a deep green cup with a smooth, mellow taste and little bitterness.',
    taxRate: 8,
    images: [
      { altJa: '鮮やかな緑色の茶葉', altEn: 'A bright green tea leaf', hue: 125, motif: 'leaf' },
    ],
    variants: [
      { sku: 'TEA-SENCHA-FUKAMUSHI-100G', nameJa: '100g', nameEn: '100 g', price: 1080, stock: 30 },
      { sku: 'TEA-SENCHA-FUKAMUSHI-200G', nameJa: '200g', nameEn: '200 g', price: 1944, stock: 18 },
    ],
  },
  {
    slug: 'kaga-bo-hojicha',
    category: 'tea',
    nameJa: '加賀棒ほうじ茶',
    nameEn: 'Kaga Roasted Stem Tea',
    reading: 'かがぼうほうじちゃ ほうじちゃ ぼうちゃ',
    descriptionJa: '石川県加賀地方で親しまれている、茶の茎を焙じた香ばしいほうじ茶です。カフェインが少なめなので、食後や寝る前の一杯にもおすすめです。',
    descriptionEn: 'A toasty roasted stem tea that is a local favourite in the Kaga region of Ishikawa. Low in caffeine, it makes a nice cup after meals or before bed.',
    taxRate: 8,
    images: [
      { altJa: '焙じた茶色の茶葉', altEn: 'A roasted brown tea leaf', hue: 30, motif: 'leaf' },
      { altJa: 'ティーバッグ入りの箱', altEn: 'A box of tea bags', hue: 28, motif: 'box' },
    ],
    variants: [
      { sku: 'TEA-HOJICHA-KAGA-100G', nameJa: '茶葉 100g', nameEn: 'Loose leaf, 100 g', price: 864, stock: 22 },
      { sku: 'TEA-HOJICHA-KAGA-TB20', nameJa: 'ティーバッグ 20個入り', nameEn: '20 tea bags', price: 756, stock: 35 },
    ],
  },
  {
    slug: 'matcha-dorayaki',
    category: 'food',
    nameJa: '抹茶どら焼き',
    nameEn: 'Matcha Dorayaki',
    reading: 'まっちゃどらやき どらやき わがし',
    descriptionJa: '宇治抹茶を練り込んだふんわり生地で、北海道産小豆のつぶあんをはさみました。個包装なので、ちょっとした手土産にも喜ばれます。',
    descriptionEn: 'Fluffy matcha pancakes made with Uji matcha, sandwiching chunky red bean paste from Hokkaido azuki. Individually wrapped, so they make a welcome little gift.',
    taxRate: 8,
    images: [
      { altJa: 'どら焼きの詰め合わせの箱', altEn: 'A gift box of dorayaki', hue: 90, motif: 'box' },
    ],
    variants: [
      { sku: 'FOOD-DORAYAKI-MATCHA-5P', nameJa: '5個入り', nameEn: 'Box of 5', price: 1296, stock: 14 },
      { sku: 'FOOD-DORAYAKI-MATCHA-10P', nameJa: '10個入り', nameEn: 'Box of 10', price: 2484, stock: 0 },
    ],
  },
  {
    slug: 'yuzu-ponzu',
    category: 'food',
    nameJa: '柚子ぽん酢',
    nameEn: 'Yuzu Ponzu',
    reading: 'ゆずぽんず ゆず ぽんず',
    descriptionJa: '高知県産の柚子果汁をたっぷり使った、香り豊かなぽん酢しょうゆです。鍋物やお刺身、焼き魚によく合います。',
    descriptionEn: 'A fragrant citrus soy sauce made with plenty of yuzu juice from Kochi. Lovely with hot pots, sashimi and grilled fish.',
    taxRate: 8,
    images: [
      { altJa: 'ぽん酢の入ったガラス瓶', altEn: 'A glass bottle of ponzu', hue: 50, motif: 'bottle' },
    ],
    variants: [
      { sku: 'FOOD-PONZU-YUZU-360ML', nameJa: '360ml', nameEn: '360 ml', price: 540, stock: 48 },
    ],
  },
  {
    slug: 'kokuto-karinto',
    category: 'food',
    nameJa: '黒糖かりんとう',
    nameEn: 'Brown Sugar Karinto',
    reading: 'こくとうかりんとう かりんとう こくとう',
    descriptionJa: '昔ながらの製法でカリッと揚げた生地に、沖縄県産の黒糖をからめました。素朴でやさしい甘さが、お茶の時間にぴったりです。',
    descriptionEn: 'Crunchy fried dough sticks coated in Okinawan brown sugar, made the old-fashioned way. Their simple, gentle sweetness is perfect with a cup of tea.',
    taxRate: 8,
    images: [
      { altJa: 'かりんとうの入った紙箱', altEn: 'A paper box of karinto', hue: 20, motif: 'box' },
    ],
    variants: [
      { sku: 'FOOD-KARINTO-KOKUTO-150G', nameJa: '150g', nameEn: '150 g', price: 432, stock: 50 },
      { sku: 'FOOD-KARINTO-KOKUTO-300G', nameJa: '300g', nameEn: '300 g', price: 810, stock: 20 },
    ],
  },
  {
    slug: 'shinshu-kome-miso',
    category: 'food',
    nameJa: '信州米みそ',
    nameEn: 'Shinshu Rice Miso',
    reading: 'しんしゅうこめみそ こめみそ みそ',
    descriptionJa: '国産大豆と米麹を使い、長野県の蔵で一年かけて天然醸造した米みそです。すっきりとした塩味で、毎日のみそ汁にぴったりです。',
    descriptionEn: 'Rice miso made from Japanese soybeans and rice koji, naturally aged for a year at a brewery in Nagano. Its clean saltiness is just right for everyday miso soup.',
    taxRate: 8,
    images: [
      { altJa: 'みそ汁の入ったお椀', altEn: 'A bowl of miso soup', hue: 35, motif: 'bowl' },
    ],
    variants: [
      { sku: 'FOOD-MISO-SHINSHU-750G', nameJa: '750g', nameEn: '750 g', price: 972, stock: 26 },
      { sku: 'FOOD-MISO-SHINSHU-1KG', nameJa: '1kg', nameEn: '1 kg', price: 1242, stock: 12 },
    ],
  },
  {
    slug: 'organic-cotton-t-shirt',
    category: 'clothing',
    nameJa: 'オーガニックコットンTシャツ',
    nameEn: 'Organic Cotton T-Shirt',
    reading: 'おーがにっくこっとんてぃーしゃつ てぃーしゃつ',
    descriptionJa: '肌ざわりのやわらかいオーガニックコットンを、和歌山の工場で縫い目のない丸胴に編み立てました。洗うほどに体になじむ一枚です。',
    descriptionEn: 'Soft organic cotton, knitted seamlessly on tubular machines at a factory in Wakayama. It feels better with every wash.',
    taxRate: 10,
    images: [
      { altJa: '生成りのTシャツ', altEn: 'A natural off-white T-shirt', hue: 40, motif: 'shirt' },
      { altJa: '藍色のTシャツ', altEn: 'An indigo T-shirt', hue: 222, motif: 'shirt' },
    ],
    variants: [
      { sku: 'CLO-TSHIRT-KINARI-S', nameJa: '生成り / S', nameEn: 'Natural / S', price: 3980, stock: 12 },
      { sku: 'CLO-TSHIRT-KINARI-M', nameJa: '生成り / M', nameEn: 'Natural / M', price: 3980, stock: 20 },
      { sku: 'CLO-TSHIRT-KINARI-L', nameJa: '生成り / L', nameEn: 'Natural / L', price: 3980, stock: 15 },
      { sku: 'CLO-TSHIRT-AI-S', nameJa: '藍 / S', nameEn: 'Indigo / S', price: 3980, stock: 8 },
      { sku: 'CLO-TSHIRT-AI-M', nameJa: '藍 / M', nameEn: 'Indigo / M', price: 3980, stock: 18 },
      { sku: 'CLO-TSHIRT-AI-L', nameJa: '藍 / L', nameEn: 'Indigo / L', price: 3980, stock: 10 },
    ],
  },
  {
    slug: 'aizome-linen-shirt',
    category: 'clothing',
    nameJa: '藍染めリネンシャツ',
    nameEn: 'Indigo-Dyed Linen Shirt',
    reading: 'あいぞめりねんしゃつ あいぞめ りねんしゃつ',
    descriptionJa: '徳島の染め師が天然藍で一枚ずつ染め上げたリネンシャツです。風通しがよく、真夏でもさらりと着られます。',
    descriptionEn: 'A linen shirt hand-dyed one at a time with natural indigo by a dyer in Tokushima. Breathable and comfortable even at the height of summer.',
    taxRate: 10,
    images: [
      { altJa: '藍色のリネンシャツ', altEn: 'An indigo linen shirt', hue: 225, motif: 'shirt' },
    ],
    variants: [
      { sku: 'CLO-LINEN-SHIRT-AI-S', nameJa: 'S', nameEn: 'S', price: 12800, stock: 6 },
      { sku: 'CLO-LINEN-SHIRT-AI-M', nameJa: 'M', nameEn: 'M', price: 12800, stock: 9 },
      { sku: 'CLO-LINEN-SHIRT-AI-L', nameJa: 'L', nameEn: 'L', price: 12800, stock: 5 },
    ],
  },
  {
    slug: 'cotton-linen-jinbei',
    category: 'clothing',
    nameJa: '綿麻しじら織りの甚平',
    nameEn: 'Cotton-Linen Shijira Jinbei',
    reading: 'めんあさしじらおりのじんべい じんべい じんべえ しじらおり',
    descriptionJa: '綿と麻を織り交ぜた、凹凸のあるしじら織りで仕立てた涼しげな甚平です。夏祭りや花火大会、家でのくつろぎ着にどうぞ。',
    descriptionEn: 'A cool jinbei summer set in crinkled shijira weave, blending cotton and linen. Wear it to summer festivals and fireworks, or simply to relax at home.',
    taxRate: 10,
    images: [
      { altJa: '紺色の甚平の上衣', altEn: 'The top of a navy jinbei', hue: 230, motif: 'shirt' },
    ],
    variants: [
      { sku: 'CLO-JINBEI-KON-M', nameJa: '紺 / M', nameEn: 'Navy / M', price: 6600, stock: 10 },
      { sku: 'CLO-JINBEI-KON-L', nameJa: '紺 / L', nameEn: 'Navy / L', price: 6600, stock: 12 },
      { sku: 'CLO-JINBEI-NEZUMI-M', nameJa: '鼠 / M', nameEn: 'Grey / M', price: 6600, stock: 7 },
      { sku: 'CLO-JINBEI-NEZUMI-L', nameJa: '鼠 / L', nameEn: 'Grey / L', price: 6600, stock: 9 },
    ],
  },
  {
    slug: 'kurashiki-canvas-tote',
    category: 'homeware',
    nameJa: '倉敷帆布トートバッグ',
    nameEn: 'Kurashiki Canvas Tote Bag',
    reading: 'くらしきはんぷとーとばっぐ はんぷ とーとばっぐ',
    descriptionJa: '岡山県倉敷産の厚手の帆布で仕立てた、丈夫で軽いトートバッグです。A4サイズの書類やお弁当もすっきり収まります。',
    descriptionEn: 'A sturdy yet light tote made from thick canvas woven in Kurashiki, Okayama. A4 documents and a lunch box fit with room to spare.',
    taxRate: 10,
    images: [
      { altJa: '生成りの帆布トートバッグ', altEn: 'An off-white canvas tote bag', hue: 38, motif: 'bag' },
      { altJa: 'からし色の帆布トートバッグ', altEn: 'A mustard-yellow canvas tote bag', hue: 45, motif: 'bag' },
    ],
    variants: [
      { sku: 'HOME-TOTE-KINARI', nameJa: '生成り', nameEn: 'Natural', price: 4950, stock: 16 },
      { sku: 'HOME-TOTE-KON', nameJa: '紺', nameEn: 'Navy', price: 4950, stock: 11 },
      { sku: 'HOME-TOTE-KARASHI', nameJa: 'からし', nameEn: 'Mustard', price: 4950, stock: 7 },
    ],
  },
  {
    slug: 'chusen-tenugui-asanoha',
    category: 'homeware',
    nameJa: '注染てぬぐい「麻の葉」',
    nameEn: 'Chusen-Dyed Tenugui "Asanoha"',
    reading: 'ちゅうせんてぬぐい あさのは てぬぐい',
    descriptionJa: '職人が一枚ずつ手で染める「注染」で、魔除けの意味をもつ麻の葉文様を染めました。手ふきや飾り布、お弁当包みにも使えます。',
    descriptionEn: 'Hand-dyed one at a time using the chusen technique, with the hemp-leaf asanoha pattern, traditionally a charm against evil. Use it as a hand towel, a wall hanging or a lunch wrap.',
    taxRate: 10,
    images: [
      { altJa: '藍色の麻の葉文様のてぬぐい', altEn: 'An indigo tenugui with a hemp-leaf pattern', hue: 215, motif: 'towel' },
      { altJa: '桜色の麻の葉文様のてぬぐい', altEn: 'A cherry-pink tenugui with a hemp-leaf pattern', hue: 345, motif: 'towel' },
    ],
    variants: [
      { sku: 'HOME-TENUGUI-ASANOHA-AI', nameJa: '藍', nameEn: 'Indigo', price: 1320, stock: 30 },
      { sku: 'HOME-TENUGUI-ASANOHA-SAKURA', nameJa: '桜', nameEn: 'Cherry pink', price: 1320, stock: 24 },
    ],
  },
  {
    slug: 'hasami-porcelain-mug',
    category: 'homeware',
    nameJa: '波佐見焼マグカップ',
    nameEn: 'Hasami Porcelain Mug',
    reading: 'はさみやきまぐかっぷ はさみやき まぐかっぷ',
    descriptionJa: '長崎県波佐見町の窯元が手がけた、丸みのあるかたちが手になじむ磁器のマグカップです。電子レンジと食器洗い乾燥機に対応しています。',
    descriptionEn: 'A rounded porcelain mug that sits comfortably in the hand, made by a pottery in Hasami, Nagasaki. Microwave and dishwasher safe.',
    taxRate: 10,
    images: [
      { altJa: '藍色の呉須釉がかかった磁器のマグカップ', altEn: 'A porcelain mug with a cobalt-blue glaze', hue: 210, motif: 'cup' },
    ],
    variants: [
      { sku: 'HOME-MUG-HASAMI-HAKUJI', nameJa: '白磁', nameEn: 'White', price: 2640, stock: 20 },
      { sku: 'HOME-MUG-HASAMI-GOSU', nameJa: '呉須', nameEn: 'Cobalt blue', price: 2860, stock: 13 },
    ],
  },
];
